package io.edgeloop.automl.search;

import io.edgeloop.modelpackage.Task;
import java.util.Map;
import java.util.SplittableRandom;

/** A kind of model the search can pick: its search space and how to fit it. */
public interface ModelFamily {

  /** Name used in specs and trial records. */
  String name();

  /** Draws one hyperparameter set; the distributions are documented on each implementation. */
  Map<String, Object> sample(SplittableRandom random, Task task);

  /**
   * A hyperparameter set that does well on most tabular data, tried first (a warm start), so even
   * a small trial budget has a sound candidate of each family.
   */
  Map<String, Object> defaults(Task task);

  /**
   * Fits a model.
   *
   * @param y regression target or class index
   * @param classes number of classes (1 for regression)
   * @param threads CPU threads the fit may use
   */
  FittedModel fit(float[][] x, double[] y, Task task, int classes, Map<String, Object> params, int threads, long seed);
}
