package io.edgeloop.modelserver.tensor;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the OIP JSON form of tensor data: row-major, flat ({@code [1,2,3,4]}) or nested
 * ({@code [[1,2],[3,4]]}). Floating-point elements may be {@code null} or the {@code NaN} token,
 * both read as NaN (a missing value for the feature pipeline and XGBoost graphs); integers must be
 * integral, booleans JSON booleans, BYTES JSON strings.
 */
public final class TensorJson {

  private TensorJson() {}

  /**
   * Decodes one tensor's {@code data}.
   *
   * @throws IllegalArgumentException when an element does not fit {@code type} or the element count
   *     does not match {@code shape}; the message is meant for the client
   */
  public static Tensor read(String name, DataType type, long[] shape, JsonNode data) {
    if (data == null || !data.isArray()) {
      throw new IllegalArgumentException("input '" + name + "': data must be a JSON array");
    }
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("input '" + name + "': shape dimensions must be >= 0");
      }
    }
    long expected;
    try {
      expected = Tensor.elementCount(shape);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("input '" + name + "': shape is too large");
    }
    List<JsonNode> flat = new ArrayList<>((int) Math.min(expected, 1 << 16));
    flatten(data, flat, expected, name);
    if (flat.size() != expected) {
      throw new IllegalArgumentException("input '" + name + "': shape " + java.util.Arrays.toString(shape)
          + " needs " + expected + " elements, data has " + flat.size());
    }
    int n = flat.size();
    Object values = switch (type) {
      case FP32 -> {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
          a[i] = (float) floating(flat.get(i), name);
        }
        yield a;
      }
      case FP64 -> {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
          a[i] = floating(flat.get(i), name);
        }
        yield a;
      }
      case INT32 -> {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
          JsonNode v = flat.get(i);
          if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw element(name, type, v);
          }
          a[i] = v.intValue();
        }
        yield a;
      }
      case INT64 -> {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
          JsonNode v = flat.get(i);
          if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw element(name, type, v);
          }
          a[i] = v.longValue();
        }
        yield a;
      }
      case BOOL -> {
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) {
          JsonNode v = flat.get(i);
          if (!v.isBoolean()) {
            throw element(name, type, v);
          }
          a[i] = v.booleanValue();
        }
        yield a;
      }
      case BYTES -> {
        String[] a = new String[n];
        for (int i = 0; i < n; i++) {
          JsonNode v = flat.get(i);
          if (!v.isTextual()) {
            throw element(name, type, v);
          }
          a[i] = v.textValue();
        }
        yield a;
      }
    };
    return new Tensor(name, type, shape, values);
  }

  private static void flatten(JsonNode node, List<JsonNode> out, long limit, String name) {
    for (JsonNode element : node) {
      if (element.isArray()) {
        flatten(element, out, limit, name);
      } else {
        if (out.size() >= limit) {
          throw new IllegalArgumentException("input '" + name + "': data has more elements than its shape");
        }
        out.add(element);
      }
    }
  }

  private static double floating(JsonNode v, String name) {
    if (v.isNull()) {
      return Double.NaN;
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException("input '" + name + "': element " + v + " is not a number");
    }
    return v.doubleValue();
  }

  private static IllegalArgumentException element(String name, DataType type, JsonNode v) {
    return new IllegalArgumentException("input '" + name + "': element " + v + " is not a valid " + type);
  }

  /** Writes a tensor's elements as a flat JSON array. */
  public static void writeData(JsonGenerator g, Tensor t) throws IOException {
    Object data = t.data();
    switch (t.datatype()) {
      case FP32 -> {
        float[] a = (float[]) data;
        g.writeStartArray(a, a.length);
        for (float v : a) {
          g.writeNumber(v);
        }
        g.writeEndArray();
      }
      case FP64 -> {
        double[] a = (double[]) data;
        g.writeArray(a, 0, a.length);
      }
      case INT32 -> {
        int[] a = (int[]) data;
        g.writeArray(a, 0, a.length);
      }
      case INT64 -> {
        long[] a = (long[]) data;
        g.writeArray(a, 0, a.length);
      }
      case BOOL -> {
        boolean[] a = (boolean[]) data;
        g.writeStartArray(a, a.length);
        for (boolean v : a) {
          g.writeBoolean(v);
        }
        g.writeEndArray();
      }
      case BYTES -> {
        String[] a = (String[]) data;
        g.writeArray(a, 0, a.length);
      }
    }
  }
}
