package io.edgeloop.modelserver.tensor;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Reads and writes the OIP JSON form of tensor data: row-major, flat ({@code [1,2,3,4]}) or nested
 * ({@code [[1,2],[3,4]]}). Floating-point elements may be {@code null} or the {@code NaN} token,
 * both read as NaN (a missing value for the feature pipeline and XGBoost graphs); integers must be
 * integral, booleans JSON booleans, BYTES JSON strings.
 */
public final class TensorJson {

  private TensorJson() {}

  /**
   * Decodes one tensor's {@code data} from a parser at its first token (a streaming parser, or a
   * tree's {@code traverse}), straight into a primitive array; leaves the parser at the data's last
   * token.
   *
   * @throws IllegalArgumentException when an element does not fit {@code type} or the element count
   *     does not match {@code shape}; the message is meant for the client
   */
  public static Tensor read(String name, DataType type, long[] shape, JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new IllegalArgumentException("input '" + name + "': data must be a JSON array");
    }
    long expected = expectedElements(name, shape);
    Elements out = new Elements(type, (int) Math.min(expected, 1 << 16));
    readArray(p, out, expected, name);
    if (out.size != expected) {
      throw new IllegalArgumentException("input '" + name + "': shape " + java.util.Arrays.toString(shape)
          + " needs " + expected + " elements, data has " + out.size);
    }
    return new Tensor(name, type, shape, out.trimmed());
  }

  private static void readArray(JsonParser p, Elements out, long limit, String name) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == JsonToken.START_ARRAY) {
        readArray(p, out, limit, name);
        continue;
      }
      if (out.size >= limit) {
        throw new IllegalArgumentException("input '" + name + "': data has more elements than its shape");
      }
      if (!out.add(t, p)) {
        JsonNode v = p.readValueAsTree();
        throw out.type == DataType.FP32 || out.type == DataType.FP64
            ? new IllegalArgumentException("input '" + name + "': element " + v + " is not a number")
            : element(name, out.type, v);
      }
    }
  }

  /** A growing primitive array of one datatype. */
  private static final class Elements {
    final DataType type;
    int size;
    Object array;

    Elements(DataType type, int capacity) {
      this.type = type;
      this.array = switch (type) {
        case FP32 -> new float[capacity];
        case FP64 -> new double[capacity];
        case INT32 -> new int[capacity];
        case INT64 -> new long[capacity];
        case BOOL -> new boolean[capacity];
        case BYTES -> new String[capacity];
      };
    }

    /** Appends the element at the parser's token {@code t}; false when it does not fit the type. */
    boolean add(JsonToken t, JsonParser p) throws IOException {
      if (size == java.lang.reflect.Array.getLength(array)) {
        grow();
      }
      switch (type) {
        case FP32, FP64 -> {
          double v;
          if (t == JsonToken.VALUE_NULL) {
            v = Double.NaN;
          } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            v = p.getDoubleValue();
          } else {
            return false;
          }
          if (type == DataType.FP32) {
            ((float[]) array)[size++] = (float) v;
          } else {
            ((double[]) array)[size++] = v;
          }
        }
        case INT32 -> {
          if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            return false;
          }
          ((int[]) array)[size++] = p.getIntValue();
        }
        case INT64 -> {
          if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return false;
          }
          ((long[]) array)[size++] = p.getLongValue();
        }
        case BOOL -> {
          if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
            return false;
          }
          ((boolean[]) array)[size++] = t == JsonToken.VALUE_TRUE;
        }
        case BYTES -> {
          if (t != JsonToken.VALUE_STRING) {
            return false;
          }
          ((String[]) array)[size++] = p.getText();
        }
      }
      return true;
    }

    private void grow() {
      int capacity = Math.max(16, size * 2);
      Object bigger = java.lang.reflect.Array.newInstance(array.getClass().getComponentType(), capacity);
      System.arraycopy(array, 0, bigger, 0, size);
      array = bigger;
    }

    Object trimmed() {
      if (java.lang.reflect.Array.getLength(array) == size) {
        return array;
      }
      Object exact = java.lang.reflect.Array.newInstance(array.getClass().getComponentType(), size);
      System.arraycopy(array, 0, exact, 0, size);
      return exact;
    }
  }

  private static long expectedElements(String name, long[] shape) {
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("input '" + name + "': shape dimensions must be >= 0");
      }
    }
    try {
      return Tensor.elementCount(shape);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("input '" + name + "': shape is too large");
    }
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
