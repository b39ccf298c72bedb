package io.edgeloop.modelserver.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.edgeloop.contracts.TensorSpec;
import io.edgeloop.modelserver.tensor.DataType;
import io.edgeloop.modelserver.tensor.Tensor;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX Runtime session and the signature ONNX Runtime reads from the graph. {@link #run} is
 * safe to call from many threads at once (ONNX Runtime sessions are); {@link #close} must come after
 * the last run.
 */
public final class OnnxModel implements AutoCloseable {

  private final OrtEnvironment env;
  private final OrtSession session;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;

  private OnnxModel(OrtEnvironment env, OrtSession session) throws OrtException {
    this.env = env;
    this.session = session;
    this.inputs = specs(session.getInputInfo(), "input");
    this.outputs = specs(session.getOutputInfo(), "output");
  }

  /**
   * Opens an ONNX graph with sequential execution and {@code intraOpThreads} threads per run:
   * 1 keeps single-row latency lowest when the HTTP pool already runs requests in parallel.
   *
   * @param origin where the bytes came from, for error messages
   * @throws ModelLoadException when ONNX Runtime cannot load the graph or it uses tensor types or
   *     non-tensor values this server cannot carry over JSON
   */
  public static OnnxModel load(byte[] onnx, String origin, int intraOpThreads) throws ModelLoadException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      OrtSession session = env.createSession(onnx, options);
      try {
        return new OnnxModel(env, session);
      } catch (ModelLoadException | OrtException e) {
        session.close();
        throw e;
      }
    } catch (OrtException e) {
      throw new ModelLoadException("ONNX Runtime cannot load " + origin + ": " + e.getMessage(), e);
    }
  }

  private static List<TensorSpec> specs(Map<String, NodeInfo> infos, String role) {
    List<TensorSpec> specs = new ArrayList<>();
    for (NodeInfo node : infos.values()) {
      if (!(node.getInfo() instanceof TensorInfo info)) {
        throw new ModelLoadException("graph " + role + " '" + node.getName() + "' is not a tensor ("
            + node.getInfo() + "); only tensor inputs and outputs can be served");
      }
      DataType type = DataType.of(info.onnxType).orElseThrow(() -> new ModelLoadException(
          "graph " + role + " '" + node.getName() + "' has element type " + info.onnxType
              + ", which this server does not carry"));
      List<Long> shape = new ArrayList<>();
      for (long d : info.getShape()) {
        shape.add(d < 0 ? -1L : d);
      }
      specs.add(new TensorSpec(node.getName(), type.name(), shape));
    }
    return List.copyOf(specs);
  }

  /** The graph's inputs as ONNX Runtime reports them ({@code -1} = variable dimension). */
  public List<TensorSpec> inputs() {
    return inputs;
  }

  /** The graph's outputs as ONNX Runtime reports them. */
  public List<TensorSpec> outputs() {
    return outputs;
  }

  /**
   * Runs the graph.
   *
   * @param feeds one tensor per graph input, already checked against {@link #inputs()}
   * @param wanted names of the outputs to compute, in the order to return them
   * @throws OrtException when ONNX Runtime rejects the feeds (a shape the graph cannot take)
   */
  public List<Tensor> run(List<Tensor> feeds, List<String> wanted) throws OrtException {
    Map<String, OnnxTensor> onnxFeeds = new HashMap<>();
    try {
      for (Tensor t : feeds) {
        onnxFeeds.put(t.name(), toOnnx(t));
      }
      Set<String> names = new LinkedHashSet<>(wanted);
      try (OrtSession.Result result = session.run(onnxFeeds, names)) {
        List<Tensor> out = new ArrayList<>(names.size());
        for (String name : names) {
          OnnxValue value = result.get(name).orElseThrow();
          out.add(fromOnnx(name, (OnnxTensor) value));
        }
        return out;
      }
    } finally {
      onnxFeeds.values().forEach(OnnxTensor::close);
    }
  }

  private OnnxTensor toOnnx(Tensor t) throws OrtException {
    long[] shape = t.shape();
    return switch (t.datatype()) {
      case FP32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap((float[]) t.data()), shape);
      case FP64 -> OnnxTensor.createTensor(env, DoubleBuffer.wrap((double[]) t.data()), shape);
      case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap((int[]) t.data()), shape);
      case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap((long[]) t.data()), shape);
      case BOOL -> {
        boolean[] values = (boolean[]) t.data();
        ByteBuffer bytes = ByteBuffer.allocateDirect(values.length);
        for (boolean v : values) {
          bytes.put((byte) (v ? 1 : 0));
        }
        bytes.flip();
        yield OnnxTensor.createTensor(env, bytes, shape, OnnxJavaType.BOOL);
      }
      case BYTES -> OnnxTensor.createTensor(env, (String[]) t.data(), shape);
    };
  }

  private static Tensor fromOnnx(String name, OnnxTensor value) throws OrtException {
    TensorInfo info = value.getInfo();
    long[] shape = info.getShape();
    DataType type = DataType.of(info.onnxType).orElseThrow();
    Object data = switch (type) {
      case FP32 -> {
        FloatBuffer b = value.getFloatBuffer();
        float[] a = new float[b.remaining()];
        b.get(a);
        yield a;
      }
      case FP64 -> {
        DoubleBuffer b = value.getDoubleBuffer();
        double[] a = new double[b.remaining()];
        b.get(a);
        yield a;
      }
      case INT32 -> {
        IntBuffer b = value.getIntBuffer();
        int[] a = new int[b.remaining()];
        b.get(a);
        yield a;
      }
      case INT64 -> {
        LongBuffer b = value.getLongBuffer();
        long[] a = new long[b.remaining()];
        b.get(a);
        yield a;
      }
      case BOOL -> {
        ByteBuffer b = value.getByteBuffer();
        boolean[] a = new boolean[b.remaining()];
        for (int i = 0; i < a.length; i++) {
          a[i] = b.get() != 0;
        }
        yield a;
      }
      case BYTES -> {
        List<String> flat = new ArrayList<>();
        flattenStrings(value.getValue(), flat);
        yield flat.toArray(String[]::new);
      }
    };
    return new Tensor(name, type, shape, data);
  }

  private static void flattenStrings(Object value, List<String> out) {
    if (value instanceof String s) {
      out.add(s);
      return;
    }
    for (int i = 0; i < Array.getLength(value); i++) {
      flattenStrings(Array.get(value, i), out);
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
