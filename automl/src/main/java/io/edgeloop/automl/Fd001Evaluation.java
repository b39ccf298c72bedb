package io.edgeloop.automl;

import ai.onnxruntime.OrtException;
import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.onnx.OnnxScorer;
import io.edgeloop.modelpackage.FeaturePipeline;
import io.edgeloop.modelpackage.GroupState;
import io.edgeloop.modelpackage.ModelPackages;
import io.edgeloop.modelpackage.ModelPackages.ModelPackage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * Scores a C-MAPSS test file the way the edge does: raw rows fed one at a time through the
 * package's FeaturePipeline, the feature vector at each engine's last cycle scored by ONNX Runtime
 * from the package's {@code model.onnx}, compared with the true RUL.
 */
public final class Fd001Evaluation {

  /** RMSE and PHM08 score over the engines' last cycles. */
  public record Score(double rmse, double phm08, int engines) {}

  private Fd001Evaluation() {}

  public static Score evaluate(Path packageDir, Table test, double[] trueRul) throws IOException, OrtException {
    ModelPackage pkg = ModelPackages.read(packageDir);
    FeaturePipeline pipeline = new FeaturePipeline(pkg.manifest().preprocessing());
    GroupState state = pipeline.newState();
    List<String> raw = pkg.manifest().preprocessing().rawColumns().stream().map(c -> c.name()).toList();
    Map<Double, float[]> last = new LinkedHashMap<>();
    double[] unit = test.numeric("unit");
    for (int i = 0; i < test.rowCount(); i++) {
      last.put(unit[i], pipeline.next(state, test.row(i, raw)));
    }
    float[][] x = last.values().toArray(float[][]::new);
    double[][] pred;
    try (OnnxScorer scorer = new OnnxScorer(pkg.onnx())) {
      pred = scorer.score(x);
    }
    double se = 0;
    double score = 0;
    for (int i = 0; i < x.length; i++) {
      double d = pred[i][0] - trueRul[i];
      se += d * d;
      score += d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1;
    }
    return new Score(Math.sqrt(se / x.length), score, x.length);
  }
}
