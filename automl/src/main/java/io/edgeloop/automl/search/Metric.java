package io.edgeloop.automl.search;

import io.edgeloop.modelpackage.Task;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Scores predictions. Regression predictions are {@code [n][1]}; classification predictions are
 * class probabilities {@code [n][C]}, the predicted label being the most probable class. F1 is the
 * positive-class F1 for binary tasks and the macro F1 otherwise; AUC is the ROC AUC of class 1
 * (binary) or the macro one-vs-rest AUC (multiclass).
 */
public enum Metric {
  RMSE(false, true),
  MAE(false, true),
  R2(true, true),
  SPEARMAN(true, true),
  ACCURACY(true, false),
  F1(true, false),
  AUC(true, false);

  private final boolean higherIsBetter;
  private final boolean regression;

  Metric(boolean higherIsBetter, boolean regression) {
    this.higherIsBetter = higherIsBetter;
    this.regression = regression;
  }

  public static Metric parse(String name) {
    for (Metric m : values()) {
      if (m.id().equalsIgnoreCase(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown metric '" + name + "', expected one of "
        + Arrays.stream(values()).map(Metric::id).toList());
  }

  public static List<String> namesFor(Task task) {
    return Arrays.stream(values()).filter(m -> m.appliesTo(task)).map(Metric::id).toList();
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean appliesTo(Task task) {
    return regression == (task == Task.REGRESSION);
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** True when {@code a} is strictly better than {@code b}. */
  public boolean better(double a, double b) {
    if (Double.isNaN(b)) {
      return !Double.isNaN(a);
    }
    return higherIsBetter ? a > b : a < b;
  }

  public double compute(double[] y, double[][] pred) {
    int n = y.length;
    return switch (this) {
      case RMSE -> Math.sqrt(IntStream.range(0, n).mapToDouble(i -> sq(pred[i][0] - y[i])).sum() / n);
      case MAE -> IntStream.range(0, n).mapToDouble(i -> Math.abs(pred[i][0] - y[i])).sum() / n;
      case R2 -> {
        double mean = Arrays.stream(y).average().orElse(0);
        double ssRes = IntStream.range(0, n).mapToDouble(i -> sq(pred[i][0] - y[i])).sum();
        double ssTot = Arrays.stream(y).map(v -> sq(v - mean)).sum();
        yield ssTot == 0 ? 0 : 1 - ssRes / ssTot;
      }
      case SPEARMAN -> pearson(ranks(y), ranks(IntStream.range(0, n).mapToDouble(i -> pred[i][0]).toArray()));
      case ACCURACY -> IntStream.range(0, n).filter(i -> argmax(pred[i]) == (int) y[i]).count() / (double) n;
      case F1 -> f1(y, pred);
      case AUC -> auc(y, pred);
    };
  }

  private static double sq(double v) {
    return v * v;
  }

  static int argmax(double[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return best;
  }

  private static double f1(double[] y, double[][] pred) {
    int classes = pred[0].length;
    int from = classes == 2 ? 1 : 0;
    double sum = 0;
    for (int c = from; c < classes; c++) {
      int tp = 0;
      int fp = 0;
      int fn = 0;
      for (int i = 0; i < y.length; i++) {
        boolean predicted = argmax(pred[i]) == c;
        boolean actual = (int) y[i] == c;
        tp += predicted && actual ? 1 : 0;
        fp += predicted && !actual ? 1 : 0;
        fn += !predicted && actual ? 1 : 0;
      }
      sum += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
    return sum / (classes - from);
  }

  private static double auc(double[] y, double[][] pred) {
    int classes = pred[0].length;
    int from = classes == 2 ? 1 : 0;
    double sum = 0;
    for (int c = from; c < classes; c++) {
      final int k = c;
      double[] score = Arrays.stream(pred).mapToDouble(p -> p[k]).toArray();
      double[] r = ranks(score);
      long pos = Arrays.stream(y).filter(v -> (int) v == k).count();
      long neg = y.length - pos;
      if (pos == 0 || neg == 0) {
        sum += 0.5;
        continue;
      }
      double rankSum = IntStream.range(0, y.length).filter(i -> (int) y[i] == k).mapToDouble(i -> r[i]).sum();
      sum += (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
    return sum / (classes - from);
  }

  /** 1-based ranks, ties get their average rank. */
  private static double[] ranks(double[] v) {
    Integer[] idx = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
    Arrays.sort(idx, Comparator.comparingDouble(i -> v[i]));
    double[] r = new double[v.length];
    for (int i = 0; i < idx.length; ) {
      int j = i;
      while (j + 1 < idx.length && v[idx[j + 1]] == v[idx[i]]) {
        j++;
      }
      double avg = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        r[idx[k]] = avg;
      }
      i = j + 1;
    }
    return r;
  }

  private static double pearson(double[] a, double[] b) {
    double ma = Arrays.stream(a).average().orElse(0);
    double mb = Arrays.stream(b).average().orElse(0);
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += sq(a[i] - ma);
      sbb += sq(b[i] - mb);
    }
    return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
  }
}
