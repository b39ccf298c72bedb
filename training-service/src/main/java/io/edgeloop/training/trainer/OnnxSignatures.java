package io.edgeloop.training.trainer;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.edgeloop.contracts.ModelSignature;
import io.edgeloop.contracts.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Reads the signature of an ONNX model by loading it in ONNX Runtime, which also proves the file is a usable model. */
public final class OnnxSignatures {

  /** The model's inputs and outputs; throws {@link OrtException} when ONNX Runtime cannot load it. */
  public static ModelSignature read(byte[] onnx) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(onnx, options)) {
      return new ModelSignature(specs(session.getInputInfo()), specs(session.getOutputInfo()));
    }
  }

  private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
    List<TensorSpec> out = new ArrayList<>();
    nodes.forEach((name, node) -> {
      if (node.getInfo() instanceof TensorInfo t) {
        out.add(new TensorSpec(name, datatype(t), Arrays.stream(t.getShape()).boxed().toList()));
      } else {
        out.add(new TensorSpec(name, "BYTES", List.of()));
      }
    });
    return out;
  }

  private static String datatype(TensorInfo t) {
    return switch (t.onnxType) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> "FP32";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> "FP64";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> "FP16";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> "INT64";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> "INT32";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> "INT16";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> "INT8";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> "UINT8";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> "BOOL";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> "BYTES";
      default -> t.onnxType.name();
    };
  }

  private OnnxSignatures() {}
}
