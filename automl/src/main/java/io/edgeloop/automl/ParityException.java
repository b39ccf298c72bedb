package io.edgeloop.automl;

/** The exported ONNX graph does not reproduce the trained model within tolerance: the run fails. */
public final class ParityException extends RuntimeException {
  public ParityException(String message) {
    super(message);
  }
}
