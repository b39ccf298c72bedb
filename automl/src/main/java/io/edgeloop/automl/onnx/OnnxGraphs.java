package io.edgeloop.automl.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Small helpers to build ONNX protobuf messages; nothing here depends on time or environment. */
public final class OnnxGraphs {

  /** Opset of the default domain: ORT 1.28 supports it, and Where/IsNaN/Softmax(axis) need >= 13. */
  public static final int OPSET = 17;
  /** ai.onnx.ml opset with TreeEnsembleRegressor/Classifier v3 (float attributes). */
  public static final int ML_OPSET = 3;
  public static final String ML_DOMAIN = "ai.onnx.ml";
  public static final String INPUT = "features";

  private OnnxGraphs() {}

  public static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
    for (long v : values) {
      b.addInts(v);
    }
    return b.build();
  }

  public static AttributeProto ints(String name, List<? extends Number> values) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
    values.forEach(v -> b.addInts(v.longValue()));
    return b.build();
  }

  public static AttributeProto floats(String name, List<Float> values) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOATS);
    values.forEach(b::addFloats);
    return b.build();
  }

  public static AttributeProto strings(String name, List<String> values) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.STRINGS);
    values.forEach(v -> b.addStrings(ByteString.copyFrom(v, StandardCharsets.UTF_8)));
    return b.build();
  }

  public static AttributeProto string(String name, String value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING)
        .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build();
  }

  public static AttributeProto integer(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value).build();
  }

  public static NodeProto node(String op, String domain, List<String> inputs, List<String> outputs,
      AttributeProto... attributes) {
    NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(outputs.get(0) + "_" + op)
        .addAllInput(inputs).addAllOutput(outputs);
    if (domain != null) {
      b.setDomain(domain);
    }
    for (AttributeProto a : attributes) {
      b.addAttribute(a);
    }
    return b.build();
  }

  /** A float tensor initializer. */
  public static TensorProto floatTensor(String name, long[] dims, float[] values) {
    TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
    for (long d : dims) {
      b.addDims(d);
    }
    for (float v : values) {
      b.addFloatData(v);
    }
    return b.build();
  }

  /** A tensor value description; a negative dimension is symbolic ({@code N}). */
  public static ValueInfoProto value(String name, TensorProto.DataType type, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
          : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
        TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
  }

  /** Wraps a graph in a model with fixed producer fields (no timestamps: same model, same bytes). */
  public static byte[] model(GraphProto graph, boolean usesMl) {
    ModelProto.Builder m = ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("edgeloop-automl")
        .setProducerVersion("1")
        .setGraph(graph)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
    if (usesMl) {
      m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(ML_DOMAIN).setVersion(ML_OPSET));
    }
    return m.build().toByteArray();
  }
}
