package io.edgeloop.automl.onnx;

import static io.edgeloop.automl.onnx.OnnxGraphs.node;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.edgeloop.modelpackage.Task;
import java.util.List;

/**
 * Writes a linear model with its preprocessing inside the graph:
 * {@code z = Where(IsNaN(x - mean), 0, x - mean) / scale; out = MatMul(z, W) + b}, i.e. missing
 * values are imputed with the training mean. Regression outputs {@code variable}; classifiers
 * apply Softmax over the class logits and ArgMax for the label.
 */
public final class LinearExporter {

  private LinearExporter() {}

  /**
   * @param weights {@code [F][K]} weights on standardised features (K = 1 for regression)
   * @param bias {@code [K]}
   */
  public static byte[] export(float[] mean, float[] scale, float[][] weights, float[] bias, Task task, String graphName) {
    int f = mean.length;
    int k = bias.length;
    float[] w = new float[f * k];
    for (int i = 0; i < f; i++) {
      System.arraycopy(weights[i], 0, w, i * k, k);
    }
    GraphProto.Builder g = GraphProto.newBuilder().setName(graphName)
        .addInput(OnnxGraphs.value(OnnxGraphs.INPUT, TensorProto.DataType.FLOAT, -1, f))
        .addInitializer(OnnxGraphs.floatTensor("mean", new long[] {f}, mean))
        .addInitializer(OnnxGraphs.floatTensor("scale", new long[] {f}, scale))
        .addInitializer(OnnxGraphs.floatTensor("zero", new long[] {}, new float[] {0f}))
        .addInitializer(OnnxGraphs.floatTensor("weights", new long[] {f, k}, w))
        .addInitializer(OnnxGraphs.floatTensor("bias", new long[] {k}, bias))
        .addNode(node("Sub", null, List.of(OnnxGraphs.INPUT, "mean"), List.of("centered")))
        .addNode(node("IsNaN", null, List.of("centered"), List.of("missing")))
        .addNode(node("Where", null, List.of("missing", "zero", "centered"), List.of("imputed")))
        .addNode(node("Div", null, List.of("imputed", "scale"), List.of("standardised")))
        .addNode(node("MatMul", null, List.of("standardised", "weights"), List.of("product")));
    if (task == Task.REGRESSION) {
      g.addNode(node("Add", null, List.of("product", "bias"), List.of("variable")));
      g.addOutput(OnnxGraphs.value("variable", TensorProto.DataType.FLOAT, -1, 1));
    } else {
      g.addNode(node("Add", null, List.of("product", "bias"), List.of("logits")));
      g.addNode(node("Softmax", null, List.of("logits"), List.of("probabilities"), OnnxGraphs.integer("axis", 1)));
      g.addNode(node("ArgMax", null, List.of("probabilities"), List.of("label"),
          OnnxGraphs.integer("axis", 1), OnnxGraphs.integer("keepdims", 0)));
      g.addOutput(OnnxGraphs.value("label", TensorProto.DataType.INT64, -1));
      g.addOutput(OnnxGraphs.value("probabilities", TensorProto.DataType.FLOAT, -1, k));
    }
    return OnnxGraphs.model(g.build(), false);
  }
}
