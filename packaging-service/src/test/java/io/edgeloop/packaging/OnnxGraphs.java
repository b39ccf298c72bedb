package io.edgeloop.packaging;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A tiny ONNX graph for tests, protobuf-encoded by hand (field numbers from onnx.proto; after the
 * model server's test helper of the same name), so tests need no ONNX tooling.
 */
public final class OnnxGraphs {
  private static final int FLOAT = 1;

  private OnnxGraphs() {}

  /** {@code variable = features · weights + bias}: input {@code features} FP32 [N, F], output {@code variable} FP32 [N, 1]. */
  public static byte[] linear(float[] weights, float bias) {
    int f = weights.length;
    Msg graph = new Msg().string(2, "linear")
        .msg(1, node("MatMul", "mm", "features", "W"))
        .msg(1, node("Add", "variable", "mm", "B"))
        .msg(5, floatTensor("W", weights, f, 1))
        .msg(5, floatTensor("B", new float[] {bias}, 1))
        .msg(11, valueInfo("features", f))
        .msg(12, valueInfo("variable", 1));
    return new Msg()
        .varint(1, 8) // ir_version
        .string(2, "edgeloop-test")
        .msg(7, graph)
        .msg(8, new Msg().string(1, "").varint(2, 13)) // opset_import ai.onnx 13
        .bytes();
  }

  private static Msg node(String op, String output, String... inputs) {
    Msg n = new Msg();
    for (String i : inputs) {
      n.string(1, i);
    }
    return n.string(2, output).string(3, op + "_" + output).string(4, op);
  }

  private static Msg floatTensor(String name, float[] values, long... dims) {
    Msg t = new Msg();
    for (long d : dims) {
      t.varint(1, d);
    }
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      raw.putFloat(v);
    }
    return t.varint(2, FLOAT).string(8, name).raw(9, raw.array());
  }

  /** FP32 [N, width]. */
  private static Msg valueInfo(String name, long width) {
    Msg shape = new Msg().msg(1, new Msg().string(2, "N")).msg(1, new Msg().varint(1, width));
    Msg tensorType = new Msg().varint(1, FLOAT).msg(2, shape);
    return new Msg().string(1, name).msg(2, new Msg().msg(1, tensorType));
  }

  /** A protobuf message being written. */
  private static final class Msg {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Msg varint(int field, long value) {
      writeVarint((long) field << 3);
      writeVarint(value);
      return this;
    }

    Msg string(int field, String value) {
      return raw(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Msg msg(int field, Msg value) {
      return raw(field, value.bytes());
    }

    Msg raw(int field, byte[] value) {
      writeVarint(((long) field << 3) | 2);
      writeVarint(value.length);
      out.writeBytes(value);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    private void writeVarint(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }
  }
}
