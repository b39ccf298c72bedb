package io.edgeloop.modelpackage;

/** Window statistics over the first {@code n} values of an array, ignoring NaN values. */
final class WindowStats {

  private WindowStats() {}

  static double compute(WindowStat stat, double[] v, int n) {
    int count = 0;
    double sum = 0;
    double sumX = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      if (!Double.isNaN(v[i])) {
        count++;
        sum += v[i];
        sumX += i;
        min = Math.min(min, v[i]);
        max = Math.max(max, v[i]);
      }
    }
    if (count == 0) {
      return Double.NaN;
    }
    double mean = sum / count;
    return switch (stat) {
      case MEAN, DRIFT -> mean; // the caller subtracts the baseline from a drift
      case MIN -> min;
      case MAX -> max;
      case STD -> std(v, n, mean, count);
      case SLOPE -> slope(v, n, mean, sumX / count);
    };
  }

  // two-pass formulas: a one-pass sum of squares loses digits on sensors like 2388.06 +- 0.07
  private static double std(double[] v, int n, double mean, int count) {
    double ss = 0;
    for (int i = 0; i < n; i++) {
      if (!Double.isNaN(v[i])) {
        double d = v[i] - mean;
        ss += d * d;
      }
    }
    return Math.sqrt(ss / count);
  }

  private static double slope(double[] v, int n, double mean, double meanX) {
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      if (!Double.isNaN(v[i])) {
        double dx = i - meanX;
        sxy += dx * (v[i] - mean);
        sxx += dx * dx;
      }
    }
    return sxx == 0 ? 0 : sxy / sxx;
  }
}
