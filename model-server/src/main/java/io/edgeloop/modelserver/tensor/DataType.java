package io.edgeloop.modelserver.tensor;

import ai.onnxruntime.TensorInfo.OnnxTensorType;
import java.util.Arrays;
import java.util.Optional;

/**
 * The Open Inference Protocol tensor data types this server carries, with their ONNX Runtime
 * counterparts. Other OIP types (FP16, BF16, unsigned and 8/16-bit integers) are refused when a
 * model is loaded, because JSON has no faithful representation for the halves and the AutoML
 * graphs never use the rest.
 */
public enum DataType {
  FP32(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT),
  FP64(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE),
  INT32(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32),
  INT64(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64),
  BOOL(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL),
  BYTES(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING);

  private final OnnxTensorType onnxType;

  DataType(OnnxTensorType onnxType) {
    this.onnxType = onnxType;
  }

  /** The OIP name of a type, e.g. {@code "FP32"}; empty when this server does not carry it. */
  public static Optional<DataType> parse(String name) {
    return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
  }

  /** The OIP type of an ONNX element type; empty when this server does not carry it. */
  public static Optional<DataType> of(OnnxTensorType onnxType) {
    return Arrays.stream(values()).filter(t -> t.onnxType == onnxType).findFirst();
  }

  /** Whether values of this type are numbers that a raw feature column (a double) can take. */
  public boolean isNumeric() {
    return this != BYTES;
  }
}
