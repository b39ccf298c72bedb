package io.edgeloop.automl.features;

import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.spec.ExperimentSpec;
import io.edgeloop.modelpackage.OperatingRegimes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Finds operating regimes in the operational setting columns and measures each normalised column
 * per regime (see {@link ExperimentSpec.Regimes} for the rule that picks their number). K-means
 * with k-means++ starts drawn from the seed (the best of {@value #STARTS} starts), on at most
 * {@value #MAX_POINTS} evenly spaced rows: same seed and data, same regimes. Regimes are numbered
 * in the order of their centres, so the numbering does not depend on the starts.
 */
public final class RegimeDetector {

  static final int STARTS = 4;
  static final int MAX_POINTS = 20_000;
  private static final int ITERATIONS = 100;

  private RegimeDetector() {}

  /**
   * The regimes of {@code table}, or empty when it has one operating condition (no k up to
   * {@code max} separates the settings well enough, or no setting varies).
   *
   * @param normalised the columns to normalise per regime
   */
  public static Optional<OperatingRegimes> detect(ExperimentSpec.Regimes spec, Table table, List<String> normalised, long seed) {
    List<String> settings = spec.settings().stream().filter(c -> spread(table.numeric(c)) > 0).toList();
    if (settings.isEmpty() || normalised.isEmpty()) {
      return Optional.empty();
    }
    int d = settings.size();
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (int j = 0; j < d; j++) {
      double[] v = table.numeric(settings.get(j));
      mean[j] = mean(v);
      scale[j] = Math.sqrt(variance(v, mean[j]));
    }
    double[][] points = points(table, settings, mean, scale);
    if (points.length < 2) {
      return Optional.empty();
    }
    double[] centroid = centroid(points);
    double total = 0;
    for (double[] p : points) {
      total += squaredDistance(p, centroid);
    }
    int most = Math.min(spec.max(), points.length);
    for (int k = 2; k <= most; k++) {
      double[][] centers = bestOfStarts(points, k, seed);
      double within = withinSum(points, centers);
      if (within < spec.maxWithinShare() * total) {
        // Two real conditions can lie close: C-MAPSS FD002's 35 and 42 kft, at the same Mach number
        // and throttle, hold 0.7 % of the settings' variance, so five clusters already pass the share
        // and one regime would mix two sensor levels. A further cluster that at least halves what is
        // left within clusters separates conditions; splitting noise within one condition cannot.
        while (k < most) {
          double[][] more = bestOfStarts(points, k + 1, seed);
          double moreWithin = withinSum(points, more);
          if (moreWithin >= within / 2) {
            break;
          }
          k++;
          centers = more;
          within = moreWithin;
        }
        Arrays.sort(centers, Comparator.comparing((double[] c) -> c, Arrays::compare));
        return Optional.of(normalisation(table, settings, mean, scale, centers, normalised));
      }
    }
    return Optional.empty();
  }

  private static OperatingRegimes normalisation(Table table, List<String> settings, double[] mean, double[] scale,
      double[][] centers, List<String> columns) {
    OperatingRegimes assign = new OperatingRegimes(settings, boxed(mean), boxed(scale),
        Arrays.stream(centers).map(RegimeDetector::boxed).toList(), List.of(), nested(centers.length, 0, 0), nested(centers.length, 0, 0));
    int k = centers.length;
    int rows = table.rowCount();
    int[] regime = new int[rows];
    double[] s = new double[settings.size()];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < s.length; j++) {
        s[j] = table.numeric(settings.get(j))[i];
      }
      regime[i] = assign.regimeOf(s);
    }
    List<List<Double>> means = new ArrayList<>();
    List<List<Double>> scales = new ArrayList<>();
    for (int r = 0; r < k; r++) {
      List<Double> m = new ArrayList<>();
      List<Double> sd = new ArrayList<>();
      for (String column : columns) {
        double[] v = table.numeric(column);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < rows; i++) {
          if (regime[i] == r && !Double.isNaN(v[i])) {
            sum += v[i];
            n++;
          }
        }
        double mu = n == 0 ? 0 : sum / n;
        double ss = 0;
        for (int i = 0; i < rows; i++) {
          if (regime[i] == r && !Double.isNaN(v[i])) {
            ss += (v[i] - mu) * (v[i] - mu);
          }
        }
        double sigma = n < 2 ? 0 : Math.sqrt(ss / n);
        m.add(mu);
        // a column constant within a regime keeps its unit: dividing by ~0 would blow up noise
        sd.add(sigma > 1e-9 * Math.max(1, Math.abs(mu)) ? sigma : 1.0);
      }
      means.add(m);
      scales.add(sd);
    }
    return new OperatingRegimes(settings, boxed(mean), boxed(scale), assign.centers(), columns, means, scales);
  }

  /** Standardised settings of evenly spaced rows with every setting present. */
  private static double[][] points(Table table, List<String> settings, double[] mean, double[] scale) {
    List<double[]> all = new ArrayList<>();
    int rows = table.rowCount();
    int step = Math.max(1, (rows + MAX_POINTS - 1) / MAX_POINTS);
    for (int i = 0; i < rows; i += step) {
      double[] p = new double[settings.size()];
      boolean complete = true;
      for (int j = 0; j < p.length; j++) {
        double v = table.numeric(settings.get(j))[i];
        complete &= !Double.isNaN(v);
        p[j] = (v - mean[j]) / scale[j];
      }
      if (complete) {
        all.add(p);
      }
    }
    return all.toArray(double[][]::new);
  }

  private static double[][] bestOfStarts(double[][] points, int k, long seed) {
    double[][] best = null;
    double bestSum = Double.POSITIVE_INFINITY;
    for (int start = 0; start < STARTS; start++) {
      double[][] centers = lloyd(points, plusPlus(points, k, new SplittableRandom(seed * 31 + k * 1_000 + start)));
      double sum = withinSum(points, centers);
      if (sum < bestSum) {
        bestSum = sum;
        best = centers;
      }
    }
    return best;
  }

  /** k-means++: each next centre drawn with probability proportional to its squared distance. */
  private static double[][] plusPlus(double[][] points, int k, SplittableRandom random) {
    double[][] centers = new double[k][];
    centers[0] = points[random.nextInt(points.length)].clone();
    double[] nearest = new double[points.length];
    Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    for (int c = 1; c < k; c++) {
      double sum = 0;
      for (int i = 0; i < points.length; i++) {
        nearest[i] = Math.min(nearest[i], squaredDistance(points[i], centers[c - 1]));
        sum += nearest[i];
      }
      double target = random.nextDouble() * sum;
      int chosen = points.length - 1;
      for (int i = 0; i < points.length; i++) {
        target -= nearest[i];
        if (target <= 0) {
          chosen = i;
          break;
        }
      }
      centers[c] = points[chosen].clone();
    }
    return centers;
  }

  private static double[][] lloyd(double[][] points, double[][] centers) {
    int k = centers.length;
    int d = centers[0].length;
    int[] assigned = new int[points.length];
    for (int iteration = 0; iteration < ITERATIONS; iteration++) {
      boolean moved = false;
      for (int i = 0; i < points.length; i++) {
        int nearest = nearest(points[i], centers);
        moved |= nearest != assigned[i] || iteration == 0;
        assigned[i] = nearest;
      }
      if (!moved) {
        break;
      }
      double[][] sums = new double[k][d];
      int[] counts = new int[k];
      for (int i = 0; i < points.length; i++) {
        counts[assigned[i]]++;
        for (int j = 0; j < d; j++) {
          sums[assigned[i]][j] += points[i][j];
        }
      }
      for (int c = 0; c < k; c++) {
        if (counts[c] > 0) {
          for (int j = 0; j < d; j++) {
            centers[c][j] = sums[c][j] / counts[c];
          }
        }
      }
    }
    return centers;
  }

  private static int nearest(double[] p, double[][] centers) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int c = 0; c < centers.length; c++) {
      double distance = squaredDistance(p, centers[c]);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = c;
      }
    }
    return best;
  }

  private static double withinSum(double[][] points, double[][] centers) {
    double sum = 0;
    for (double[] p : points) {
      sum += squaredDistance(p, centers[nearest(p, centers)]);
    }
    return sum;
  }

  private static double[] centroid(double[][] points) {
    double[] c = new double[points[0].length];
    for (double[] p : points) {
      for (int j = 0; j < c.length; j++) {
        c[j] += p[j] / points.length;
      }
    }
    return c;
  }

  private static double squaredDistance(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += (a[j] - b[j]) * (a[j] - b[j]);
    }
    return s;
  }

  private static double spread(double[] v) {
    double m = mean(v);
    return Double.isNaN(m) ? 0 : variance(v, m);
  }

  private static double mean(double[] v) {
    double sum = 0;
    int n = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        sum += x;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private static double variance(double[] v, double mean) {
    double ss = 0;
    int n = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        ss += (x - mean) * (x - mean);
        n++;
      }
    }
    return n == 0 ? 0 : ss / n;
  }

  private static List<Double> boxed(double[] v) {
    return Arrays.stream(v).boxed().toList();
  }

  private static List<List<Double>> nested(int rows, int columns, double value) {
    List<List<Double>> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      out.add(java.util.Collections.nCopies(columns, value));
    }
    return out;
  }
}
