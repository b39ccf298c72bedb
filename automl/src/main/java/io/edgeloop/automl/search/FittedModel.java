package io.edgeloop.automl.search;

/** A trained model that predicts in Java and exports itself to ONNX. */
public interface FittedModel {

  /** Regression: {@code [n][1]}; classification: class probabilities {@code [n][C]}. */
  double[][] predict(float[][] x);

  /**
   * The ONNX graph: input {@code features} FP32 {@code [-1, F]}; output {@code variable} FP32
   * {@code [-1, 1]} (regression) or {@code label} INT64 {@code [-1]} and {@code probabilities} FP32
   * {@code [-1, C]}. The same model always gives the same bytes.
   */
  byte[] toOnnx(String graphName);
}
