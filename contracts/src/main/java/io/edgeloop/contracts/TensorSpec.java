package io.edgeloop.contracts;

import java.util.List;
import java.util.Objects;

/**
 * One named, typed tensor of a model signature, in Open Inference Protocol terms: {@code datatype}
 * is {@code FP32}, {@code FP64}, {@code INT64}, {@code BYTES}...; {@code -1} in {@code shape} is a
 * variable dimension.
 */
public record TensorSpec(String name, String datatype, List<Long> shape) {
  public TensorSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(datatype, "datatype");
    shape = List.copyOf(shape);
  }
}
