package io.edgeloop.modelserver;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Tiny ONNX graphs for tests, protobuf-encoded by hand (field numbers from onnx.proto), so that the
 * tests need neither the ONNX Python package nor generated protobuf classes.
 */
public final class OnnxGraphs {

  static final int FLOAT = 1;
  static final int INT32 = 6;
  static final int INT64 = 7;
  static final int STRING = 8;
  static final int BOOL = 9;
  static final int DOUBLE = 11;

  private OnnxGraphs() {}

  /**
   * {@code variable = features · weights + bias}: input {@code features} FP32 [N, F], output
   * {@code variable} FP32 [N, 1], the shape of an AutoML regression graph. With {@code echo}, a
   * second output {@code echo} returns the features unchanged (to compare preprocessing exactly).
   */
  public static byte[] linear(float[] weights, float bias, boolean echo) {
    int f = weights.length;
    List<Msg> nodes = new ArrayList<>();
    nodes.add(node("MatMul", List.of("features", "W"), "mm"));
    nodes.add(node("Add", List.of("mm", "B"), "variable"));
    List<Msg> outputs = new ArrayList<>();
    outputs.add(valueInfo("variable", FLOAT, "N", 1L));
    if (echo) {
      nodes.add(node("Identity", List.of("features"), "echo"));
      outputs.add(valueInfo("echo", FLOAT, "N", (long) f));
    }
    Msg graph = new Msg().string(2, "linear");
    nodes.forEach(n -> graph.msg(1, n));
    graph.msg(5, floatTensor("W", weights, f, 1));
    graph.msg(5, floatTensor("B", new float[] {bias}, 1));
    graph.msg(11, valueInfo("features", FLOAT, "N", (long) f));
    outputs.forEach(o -> graph.msg(12, o));
    return model(graph);
  }

  /**
   * {@code variable = ReduceSum(features, axis 0)}: input {@code features} FP32 [N, F], output FP32
   * [1, F]. Not row-wise: stacking requests would change its answers.
   */
  static byte[] columnSums(int f) {
    Msg graph = new Msg().string(2, "column-sums");
    graph.msg(1, node("ReduceSum", List.of("features", "axes"), "variable"));
    ByteBuffer axes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0L);
    graph.msg(5, new Msg().varint(1, 1).varint(2, INT64).string(8, "axes").raw(9, axes.array()));
    graph.msg(11, valueInfo("features", FLOAT, "N", (long) f));
    graph.msg(12, valueInfo("variable", FLOAT, "one", (long) f));
    return model(graph);
  }

  /**
   * One Identity per type: inputs {@code x_fp64} FP64 [N, 2], {@code x_int64} INT64 [N],
   * {@code x_int32} INT32 [N], {@code x_bool} BOOL [N], {@code x_bytes} BYTES [N]; outputs
   * {@code y_<type>} equal to them.
   */
  static byte[] identities() {
    Msg graph = new Msg().string(2, "identities");
    Object[][] types = {{"fp64", DOUBLE, 2L}, {"int64", INT64, null}, {"int32", INT32, null},
        {"bool", BOOL, null}, {"bytes", STRING, null}};
    for (Object[] t : types) {
      graph.msg(1, node("Identity", List.of("x_" + t[0]), "y_" + t[0]));
    }
    for (Object[] t : types) {
      graph.msg(11, t[2] == null ? valueInfo("x_" + t[0], (int) t[1], "N")
          : valueInfo("x_" + t[0], (int) t[1], "N", (Long) t[2]));
    }
    for (Object[] t : types) {
      graph.msg(12, t[2] == null ? valueInfo("y_" + t[0], (int) t[1], "N")
          : valueInfo("y_" + t[0], (int) t[1], "N", (Long) t[2]));
    }
    return model(graph);
  }

  private static byte[] model(Msg graph) {
    return new Msg()
        .varint(1, 8) // ir_version
        .string(2, "edgeloop-test")
        .msg(7, graph)
        .msg(8, new Msg().string(1, "").varint(2, 13)) // opset_import ai.onnx 13
        .bytes();
  }

  private static Msg node(String op, List<String> inputs, String output) {
    Msg n = new Msg();
    inputs.forEach(i -> n.string(1, i));
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

  /** A tensor value info; the first dimension is symbolic ({@code batch}), the rest fixed. */
  private static Msg valueInfo(String name, int elemType, String batch, Long... dims) {
    Msg shape = new Msg().msg(1, new Msg().string(2, batch));
    for (Long d : dims) {
      shape.msg(1, new Msg().varint(1, d));
    }
    Msg tensorType = new Msg().varint(1, elemType).msg(2, shape);
    return new Msg().string(1, name).msg(2, new Msg().msg(1, tensorType));
  }

  /** A protobuf message being written. */
  static final class Msg {
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
