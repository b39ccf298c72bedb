package io.edgeloop.automl;

import io.edgeloop.automl.search.Metric;
import io.edgeloop.modelpackage.TrainedPipeline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses what the package averages (Caruana et al., ensemble selection): starting from the best
 * tree trial, it adds, {@code size - 1} times, the tree trial (possibly one already in) whose
 * addition gives the best validation score of the average, on the rows every fold validated.
 * A member's weight is how often it was picked. When the best trial is not a tree model, or
 * {@code size} is 1, the best trial alone is the model. Deterministic: ties go to the lower index.
 */
final class EnsembleSelection {

  private static final Set<String> TREE_FAMILIES = Set.of("xgboost", "random_forest");

  private EnsembleSelection() {}

  /** The members and the validation score of their average. */
  record Selection(List<TrainedPipeline.Member> members, Map<String, Double> metrics) {}

  static Selection select(List<TrialResult> trials, Map<Integer, double[]> predictions, double[] truth, Metric metric,
      int size, TrialResult best) {
    if (size <= 1 || !TREE_FAMILIES.contains(best.family()) || !predictions.containsKey(best.index())) {
      return new Selection(List.of(new TrainedPipeline.Member(best.family(), best.params(), 1.0)), best.metrics());
    }
    List<TrialResult> pool = trials.stream()
        .filter(t -> !t.failed() && TREE_FAMILIES.contains(t.family()) && predictions.containsKey(t.index())).toList();
    double[] bestPredictions = predictions.get(best.index());
    int[] rows = java.util.stream.IntStream.range(0, truth.length).filter(i -> !Double.isNaN(bestPredictions[i])).toArray();
    double[] sum = new double[rows.length];
    Map<TrialResult, Integer> picks = new LinkedHashMap<>();
    add(sum, bestPredictions, rows);
    picks.put(best, 1);
    for (int round = 1; round < size; round++) {
      TrialResult chosen = null;
      double chosenScore = Double.NaN;
      for (TrialResult t : pool) {
        double score = score(sum, predictions.get(t.index()), rows, truth, metric, round + 1);
        if (chosen == null || metric.better(score, chosenScore)) {
          chosen = t;
          chosenScore = score;
        }
      }
      add(sum, predictions.get(chosen.index()), rows);
      picks.merge(chosen, 1, Integer::sum);
    }
    List<TrainedPipeline.Member> members = new ArrayList<>();
    picks.forEach((t, n) -> members.add(new TrainedPipeline.Member(t.family(), t.params(), (double) n / size)));
    double[][] average = new double[rows.length][1];
    double[] y = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      average[i][0] = sum[i] / size;
      y[i] = truth[rows[i]];
    }
    Map<String, Double> metrics = new java.util.TreeMap<>();
    for (Metric m : Metric.values()) {
      if (m.appliesTo(io.edgeloop.modelpackage.Task.REGRESSION)) {
        metrics.put(m.id(), m.compute(y, average));
      }
    }
    return new Selection(members, metrics);
  }

  private static void add(double[] sum, double[] predictions, int[] rows) {
    for (int i = 0; i < rows.length; i++) {
      sum[i] += predictions[rows[i]];
    }
  }

  private static double score(double[] sum, double[] candidate, int[] rows, double[] truth, Metric metric, int count) {
    double[][] average = new double[rows.length][1];
    double[] y = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      average[i][0] = (sum[i] + candidate[rows[i]]) / count;
      y[i] = truth[rows[i]];
    }
    return metric.compute(y, average);
  }
}
