package io.edgeloop.launcher.demo;

import java.util.List;

/** RUL error measures of the C-MAPSS literature. */
final class Scores {
  static double rmse(List<double[]> predictedAndTrue) {
    double sum = 0;
    for (double[] p : predictedAndTrue) {
      double d = p[0] - p[1];
      sum += d * d;
    }
    return Math.sqrt(sum / predictedAndTrue.size());
  }

  /** PHM08 score: late predictions (d = predicted - true > 0) cost more than early ones. */
  static double phm08(List<double[]> predictedAndTrue) {
    double score = 0;
    for (double[] p : predictedAndTrue) {
      double d = p[0] - p[1];
      score += d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1;
    }
    return score;
  }

  private Scores() {}
}
