package io.edgeloop.automl.search;

import io.edgeloop.automl.onnx.TreeEnsembleExporter;
import io.edgeloop.modelpackage.Task;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Tree ensembles trained by XGBoost4J ({@code tree_method=hist}).
 *
 * <p>Gradient boosting ({@code xgboost}) draws: num_round uniform integer in [100, 300], eta
 * log-uniform in [0.02, 0.2], max_depth uniform integer in [3, 7], min_child_weight log-uniform
 * in [1, 30], subsample uniform in [0.6, 1], colsample_bytree uniform in [0.3, 1], lambda
 * log-uniform in [0.1, 10], alpha log-uniform in [0.001, 1].
 *
 * <p>Defaults (the warm start): gradient boosting num_round 300, eta 0.05, max_depth 5,
 * min_child_weight 10, subsample 0.8, colsample_bytree 0.5, lambda 1, alpha 0.01; random forest
 * num_parallel_tree 100, max_depth 8, min_child_weight 5, subsample 0.7, colsample_bynode 0.5.
 *
 * <p>Random forest ({@code random_forest}, XGBoost's {@code num_parallel_tree} with one round and
 * eta 1) draws: num_parallel_tree uniform integer in [30, 120], max_depth uniform integer in
 * [6, 10], min_child_weight log-uniform in [1, 30], subsample uniform in [0.5, 0.9],
 * colsample_bynode uniform in [0.2, 0.7].
 */
public final class XgboostFamily implements ModelFamily {

  private final boolean forest;

  XgboostFamily(boolean forest) {
    this.forest = forest;
  }

  @Override
  public String name() {
    return forest ? "random_forest" : "xgboost";
  }

  @Override
  public Map<String, Object> sample(SplittableRandom r, Task task) {
    Map<String, Object> p = new LinkedHashMap<>();
    if (forest) {
      p.put("num_parallel_tree", r.nextInt(30, 121));
      p.put("max_depth", r.nextInt(6, 11));
      p.put("min_child_weight", logUniform(r, 1, 30));
      p.put("subsample", r.nextDouble(0.5, 0.9));
      p.put("colsample_bynode", r.nextDouble(0.2, 0.7));
    } else {
      p.put("num_round", r.nextInt(100, 301));
      p.put("eta", logUniform(r, 0.02, 0.2));
      p.put("max_depth", r.nextInt(3, 8));
      p.put("min_child_weight", logUniform(r, 1, 30));
      p.put("subsample", r.nextDouble(0.6, 1.0));
      p.put("colsample_bytree", r.nextDouble(0.3, 1.0));
      p.put("lambda", logUniform(r, 0.1, 10));
      p.put("alpha", logUniform(r, 0.001, 1));
    }
    return p;
  }

  @Override
  public Map<String, Object> defaults(Task task) {
    Map<String, Object> p = new LinkedHashMap<>();
    if (forest) {
      p.put("num_parallel_tree", 100);
      p.put("max_depth", 8);
      p.put("min_child_weight", 5.0);
      p.put("subsample", 0.7);
      p.put("colsample_bynode", 0.5);
    } else {
      p.put("num_round", 300);
      p.put("eta", 0.05);
      p.put("max_depth", 5);
      p.put("min_child_weight", 10.0);
      p.put("subsample", 0.8);
      p.put("colsample_bytree", 0.5);
      p.put("lambda", 1.0);
      p.put("alpha", 0.01);
    }
    return p;
  }

  static double logUniform(SplittableRandom r, double lo, double hi) {
    return Math.exp(r.nextDouble(Math.log(lo), Math.log(hi)));
  }

  @Override
  public FittedModel fit(float[][] x, double[] y, Task task, int classes, Map<String, Object> params,
      int threads, long seed) {
    Map<String, Object> p = new HashMap<>(params);
    int rounds = forest ? 1 : ((Number) p.remove("num_round")).intValue();
    if (forest) {
      p.put("eta", 1.0);
      p.put("lambda", 1e-5);
    }
    p.put("tree_method", "hist");
    p.put("nthread", threads);
    p.put("seed", seed);
    p.put("verbosity", 0);
    float base;
    switch (task) {
      case REGRESSION -> {
        p.put("objective", "reg:squarederror");
        double mean = 0;
        for (double v : y) {
          mean += v / y.length;
        }
        base = (float) mean;
        p.put("base_score", base);
      }
      case BINARY -> {
        p.put("objective", "binary:logistic");
        p.put("base_score", 0.5);
        base = 0f; // logit(0.5)
      }
      default -> {
        p.put("objective", "multi:softprob");
        p.put("num_class", classes);
        p.put("base_score", 0.5);
        base = 0.5f; // the same margin on every class: cancels in the softmax
      }
    }
    try {
      DMatrix train = matrix(x);
      float[] labels = new float[y.length];
      for (int i = 0; i < y.length; i++) {
        labels[i] = (float) y[i];
      }
      train.setLabel(labels);
      Booster booster = XGBoost.train(train, p, rounds, Map.of(), null, null);
      train.dispose();
      int parallel = forest ? ((Number) params.get("num_parallel_tree")).intValue() : 1;
      return new XgboostModel(booster, task, classes, parallel, base, x.length == 0 ? 0 : x[0].length);
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
    }
  }

  static DMatrix matrix(float[][] x) throws XGBoostError {
    int n = x.length;
    int f = n == 0 ? 0 : x[0].length;
    float[] flat = new float[n * f];
    for (int i = 0; i < n; i++) {
      System.arraycopy(x[i], 0, flat, i * f, f);
    }
    return new DMatrix(flat, n, f, Float.NaN);
  }

  /** A trained booster; exports through its JSON dump. */
  static final class XgboostModel implements FittedModel {
    private final Booster booster;
    private final Task task;
    private final int classes;
    private final int parallelTrees;
    private final float baseMargin;
    private final int features;

    XgboostModel(Booster booster, Task task, int classes, int parallelTrees, float baseMargin, int features) {
      this.booster = booster;
      this.task = task;
      this.classes = classes;
      this.parallelTrees = parallelTrees;
      this.baseMargin = baseMargin;
      this.features = features;
    }

    @Override
    public double[][] predict(float[][] x) {
      try {
        DMatrix m = matrix(x);
        float[][] raw = booster.predict(m);
        m.dispose();
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
          out[i] = task == Task.BINARY
              ? new double[] {1 - (double) raw[i][0], raw[i][0]}
              : toDouble(raw[i]);
        }
        return out;
      } catch (XGBoostError e) {
        throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
      }
    }

    private static double[] toDouble(float[] v) {
      double[] d = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        d[i] = v[i];
      }
      return d;
    }

    @Override
    public byte[] toOnnx(String graphName) {
      return TreeEnsembleExporter.export(trees(), features, task, classes, graphName);
    }

    /** The booster's trees as the exporter takes them. */
    TreeEnsembleExporter.Trees trees() {
      try {
        return new TreeEnsembleExporter.Trees(booster.getModelDump((String) null, false, "json"), parallelTrees, baseMargin);
      } catch (XGBoostError e) {
        throw new IllegalStateException("XGBoost model dump failed: " + e.getMessage(), e);
      }
    }

    int features() {
      return features;
    }

    Task task() {
      return task;
    }
  }
}
