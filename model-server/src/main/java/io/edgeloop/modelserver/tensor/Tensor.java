package io.edgeloop.modelserver.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named tensor held as a flat, row-major primitive array: {@code float[]} for FP32,
 * {@code double[]} for FP64, {@code int[]} for INT32, {@code long[]} for INT64, {@code boolean[]}
 * for BOOL and {@code String[]} for BYTES.
 */
public record Tensor(String name, DataType datatype, long[] shape, Object data) {

  public Tensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(datatype, "datatype");
    shape = shape.clone();
    if (elementCount(shape) != java.lang.reflect.Array.getLength(data)) {
      throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape)
          + " but " + java.lang.reflect.Array.getLength(data) + " elements");
    }
  }

  /** Number of elements a tensor of this shape holds. */
  public static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Size of the first dimension: the batch size of a batched tensor, 1 for a scalar. */
  public long rows() {
    return shape.length == 0 ? 1 : shape[0];
  }

  public int rank() {
    return shape.length;
  }

  /** Element {@code i} as a double (numeric types only): how raw feature columns are read. */
  public double doubleAt(int i) {
    return switch (datatype) {
      case FP32 -> ((float[]) data)[i];
      case FP64 -> ((double[]) data)[i];
      case INT32 -> ((int[]) data)[i];
      case INT64 -> ((long[]) data)[i];
      case BOOL -> ((boolean[]) data)[i] ? 1.0 : 0.0;
      case BYTES -> throw new IllegalStateException("BYTES tensor '" + name + "' is not numeric");
    };
  }
}
