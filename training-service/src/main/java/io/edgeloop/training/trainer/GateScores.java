package io.edgeloop.training.trainer;

import io.edgeloop.automl.AutoMlResult;
import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.holdout.HoldoutScorer;
import io.edgeloop.automl.spec.ExperimentSpec;
import io.edgeloop.modelpackage.ModelPackages;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Scores the new model and the current champion on the service's holdout, for the registry's gate:
 * {@code holdout.<primary>}, {@code holdout.units}, {@code champion.<primary>} and
 * {@code champion.version}. A champion that cannot be scored (other raw columns, other task) is
 * left to the recorded metrics.
 */
final class GateScores {
  private GateScores() {}

  static Map<String, Double> measure(RunTracker tracker, ExperimentSpec spec, Table holdout, AutoMlResult result,
      Optional<ChampionPackages.ChampionPackage> champion) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    String primary = result.manifest().primaryMetric();
    HoldoutScorer scorer;
    try {
      scorer = new HoldoutScorer(spec, holdout);
      metrics.put("holdout." + primary, scorer.score(result.manifest(),
          Files.readAllBytes(result.packageDir().resolve(ModelPackages.ONNX_FILE)), primary));
      metrics.put("holdout.units", (double) scorer.groups());
    } catch (Exception e) {
      tracker.line("system", "holdout evaluation skipped: " + e);
      return metrics;
    }
    if (champion.isEmpty()) {
      return metrics;
    }
    try {
      double score = scorer.score(champion.get().manifest(), champion.get().onnx(), primary);
      metrics.put("champion." + primary, score);
      metrics.put("champion.version", (double) champion.get().version());
      tracker.line("system", "holdout (" + scorer.groups() + " units, " + scorer.rows() + " rows) " + primary + ": new model "
          + metrics.get("holdout." + primary) + ", champion v" + champion.get().version() + " " + score);
    } catch (Exception e) {
      tracker.line("system", "champion not scored on the holdout (" + e + "); the recorded metrics will be compared");
    }
    return metrics;
  }
}
