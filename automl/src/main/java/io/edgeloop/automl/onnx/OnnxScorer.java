package io.edgeloop.automl.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Scores feature rows with ONNX Runtime, as the model server does: regression gives
 * {@code [n][1]}, classification the {@code probabilities} output {@code [n][C]}.
 */
public final class OnnxScorer implements AutoCloseable {

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  public OnnxScorer(byte[] onnx) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    this.session = env.createSession(onnx, options);
  }

  public double[][] score(float[][] x) throws OrtException {
    int n = x.length;
    int f = n == 0 ? 0 : x[0].length;
    FloatBuffer buf = FloatBuffer.allocate(n * f);
    for (float[] row : x) {
      buf.put(row);
    }
    buf.flip();
    try (OnnxTensor input = OnnxTensor.createTensor(env, buf, new long[] {n, f});
        OrtSession.Result result = session.run(Map.of(OnnxGraphs.INPUT, input))) {
      OnnxValue out = result.get("variable").orElseGet(() -> result.get("probabilities").orElseThrow());
      float[][] values = (float[][]) out.getValue();
      double[][] d = new double[n][];
      for (int i = 0; i < n; i++) {
        d[i] = new double[values[i].length];
        for (int j = 0; j < values[i].length; j++) {
          d[i][j] = values[i][j];
        }
      }
      return d;
    }
  }

  /** The version of the ONNX Runtime library in use. */
  public static String runtimeVersion() {
    return OrtEnvironment.getEnvironment().getVersion();
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
