package io.edgeloop.automl.onnx;

import ai.onnxruntime.OrtException;
import io.edgeloop.automl.search.FittedModel;

/**
 * Compares ONNX Runtime's outputs with the trained model's own predictions. An output passes when
 * {@code |onnx - java| <= ABS_TOLERANCE + REL_TOLERANCE * |java|}: the graph computes in float32
 * (XGBoost also thresholds and sums in float32), so the bound allows float rounding, not a
 * different decision path.
 */
public final class ParityCheck {

  public static final double ABS_TOLERANCE = 1e-4;
  public static final double REL_TOLERANCE = 1e-5;

  private ParityCheck() {}

  /** The outcome: largest absolute and relative differences seen. */
  public record Result(double maxAbsDiff, double maxRelDiff, int rows, boolean passed) {}

  public static Result run(FittedModel model, byte[] onnx, float[][] rows) throws OrtException {
    double[][] expected = model.predict(rows);
    double[][] actual;
    try (OnnxScorer scorer = new OnnxScorer(onnx)) {
      actual = scorer.score(rows);
    }
    double maxAbs = 0;
    double maxRel = 0;
    boolean passed = true;
    for (int i = 0; i < rows.length; i++) {
      if (actual[i].length != expected[i].length) {
        throw new IllegalStateException("ONNX gives " + actual[i].length + " outputs per row, the model "
            + expected[i].length);
      }
      for (int j = 0; j < expected[i].length; j++) {
        double d = Math.abs(actual[i][j] - expected[i][j]);
        if (Double.isNaN(d)) {
          d = Double.POSITIVE_INFINITY;
        }
        maxAbs = Math.max(maxAbs, d);
        maxRel = Math.max(maxRel, d / Math.max(1e-12, Math.abs(expected[i][j])));
        passed &= d <= ABS_TOLERANCE + REL_TOLERANCE * Math.abs(expected[i][j]);
      }
    }
    return new Result(maxAbs, maxRel, rows.length, passed);
  }
}
