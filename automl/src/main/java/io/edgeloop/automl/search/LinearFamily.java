package io.edgeloop.automl.search;

import io.edgeloop.automl.onnx.LinearExporter;
import io.edgeloop.modelpackage.Task;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * L2-regularised linear models on standardised features, missing values imputed with the training
 * mean (inside the ONNX graph too). Regression is ridge regression solved exactly (Cholesky of
 * {@code Z'Z + alpha n I}); classification is multinomial logistic regression fitted by full-batch
 * gradient descent (300 steps, step 0.5) with penalty {@code alpha/2 |W|^2}.
 *
 * <p>Search space: alpha log-uniform in [1e-4, 10]; default (the warm start) 0.01.
 */
public final class LinearFamily implements ModelFamily {

  private static final int STEPS = 300;
  private static final double STEP_SIZE = 0.5;

  @Override
  public String name() {
    return "linear";
  }

  @Override
  public Map<String, Object> sample(SplittableRandom r, Task task) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("alpha", XgboostFamily.logUniform(r, 1e-4, 10));
    return p;
  }

  @Override
  public Map<String, Object> defaults(Task task) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("alpha", 0.01);
    return p;
  }

  @Override
  public FittedModel fit(float[][] x, double[] y, Task task, int classes, Map<String, Object> params,
      int threads, long seed) {
    double alpha = ((Number) params.get("alpha")).doubleValue();
    int n = x.length;
    int f = x[0].length;
    float[] mean = new float[f];
    float[] scale = new float[f];
    for (int j = 0; j < f; j++) {
      double s = 0;
      int c = 0;
      for (float[] row : x) {
        if (!Float.isNaN(row[j])) {
          s += row[j];
          c++;
        }
      }
      mean[j] = (float) (c == 0 ? 0 : s / c);
      double ss = 0;
      for (float[] row : x) {
        if (!Float.isNaN(row[j])) {
          double d = (float) (row[j] - mean[j]);
          ss += d * d;
        }
      }
      double sd = c == 0 ? 0 : Math.sqrt(ss / c);
      scale[j] = sd > 1e-12 ? (float) sd : 1f;
    }
    LinearModel model = new LinearModel(mean, scale, null, null, task);
    double[][] z = new double[n][];
    for (int i = 0; i < n; i++) {
      z[i] = model.standardise(x[i]);
    }
    return task == Task.REGRESSION
        ? ridge(model, z, y, alpha)
        : logistic(model, z, y, classes, alpha);
  }

  private static LinearModel ridge(LinearModel m, double[][] z, double[] y, double alpha) {
    int n = z.length;
    int f = z[0].length;
    double yMean = 0;
    for (double v : y) {
      yMean += v / n;
    }
    double[][] a = new double[f][f];
    double[] b = new double[f];
    for (int i = 0; i < n; i++) {
      double[] r = z[i];
      double t = y[i] - yMean;
      for (int j = 0; j < f; j++) {
        b[j] += r[j] * t;
        for (int k = 0; k <= j; k++) {
          a[j][k] += r[j] * r[k];
        }
      }
    }
    for (int j = 0; j < f; j++) {
      a[j][j] += alpha * n;
      for (int k = 0; k < j; k++) {
        a[k][j] = a[j][k];
      }
    }
    double[] w = Cholesky.solve(a, b);
    float[][] weights = new float[f][1];
    for (int j = 0; j < f; j++) {
      weights[j][0] = (float) w[j];
    }
    return new LinearModel(m.mean, m.scale, weights, new float[] {(float) yMean}, Task.REGRESSION);
  }

  private static LinearModel logistic(LinearModel m, double[][] z, double[] y, int classes, double alpha) {
    int n = z.length;
    int f = z[0].length;
    double[][] w = new double[f][classes];
    double[] b = new double[classes];
    double[] p = new double[classes];
    for (int step = 0; step < STEPS; step++) {
      double[][] gw = new double[f][classes];
      double[] gb = new double[classes];
      for (int i = 0; i < n; i++) {
        softmax(z[i], w, b, p);
        p[(int) y[i]] -= 1;
        for (int c = 0; c < classes; c++) {
          gb[c] += p[c] / n;
          for (int j = 0; j < f; j++) {
            gw[j][c] += z[i][j] * p[c] / n;
          }
        }
      }
      for (int c = 0; c < classes; c++) {
        b[c] -= STEP_SIZE * gb[c];
        for (int j = 0; j < f; j++) {
          w[j][c] -= STEP_SIZE * (gw[j][c] + alpha * w[j][c]);
        }
      }
    }
    float[][] weights = new float[f][classes];
    float[] bias = new float[classes];
    for (int c = 0; c < classes; c++) {
      bias[c] = (float) b[c];
      for (int j = 0; j < f; j++) {
        weights[j][c] = (float) w[j][c];
      }
    }
    return new LinearModel(m.mean, m.scale, weights, bias, m.task);
  }

  private static void softmax(double[] z, double[][] w, double[] b, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < out.length; c++) {
      double s = b[c];
      for (int j = 0; j < z.length; j++) {
        s += z[j] * w[j][c];
      }
      out[c] = s;
      max = Math.max(max, s);
    }
    double sum = 0;
    for (int c = 0; c < out.length; c++) {
      out[c] = Math.exp(out[c] - max);
      sum += out[c];
    }
    for (int c = 0; c < out.length; c++) {
      out[c] /= sum;
    }
  }

  /** Weights on standardised features; predicts with the graph's arithmetic order. */
  static final class LinearModel implements FittedModel {
    final float[] mean;
    final float[] scale;
    final float[][] weights;
    final float[] bias;
    final Task task;

    LinearModel(float[] mean, float[] scale, float[][] weights, float[] bias, Task task) {
      this.mean = mean;
      this.scale = scale;
      this.weights = weights;
      this.bias = bias;
      this.task = task;
    }

    /** (x - mean) in float like the graph's Sub, NaN -> 0, then / scale. */
    double[] standardise(float[] x) {
      double[] z = new double[x.length];
      for (int j = 0; j < x.length; j++) {
        float centered = x[j] - mean[j];
        z[j] = Float.isNaN(centered) ? 0 : (double) (centered / scale[j]);
      }
      return z;
    }

    @Override
    public double[][] predict(float[][] x) {
      double[][] out = new double[x.length][];
      double[][] w = new double[weights.length][bias.length];
      for (int j = 0; j < weights.length; j++) {
        for (int c = 0; c < bias.length; c++) {
          w[j][c] = weights[j][c];
        }
      }
      double[] b = new double[bias.length];
      for (int c = 0; c < b.length; c++) {
        b[c] = bias[c];
      }
      for (int i = 0; i < x.length; i++) {
        double[] z = standardise(x[i]);
        out[i] = new double[bias.length];
        if (task == Task.REGRESSION) {
          double s = b[0];
          for (int j = 0; j < z.length; j++) {
            s += z[j] * w[j][0];
          }
          out[i][0] = s;
        } else {
          softmax(z, w, b, out[i]);
        }
      }
      return out;
    }

    @Override
    public byte[] toOnnx(String graphName) {
      return LinearExporter.export(mean, scale, weights, bias, task, graphName);
    }
  }
}
