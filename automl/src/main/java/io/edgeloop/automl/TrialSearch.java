package io.edgeloop.automl;

import io.edgeloop.automl.features.TrainingFrame;
import io.edgeloop.automl.search.FittedModel;
import io.edgeloop.automl.search.Metric;
import io.edgeloop.automl.search.ModelFamilies;
import io.edgeloop.automl.search.ModelFamily;
import io.edgeloop.automl.search.Splits;
import io.edgeloop.automl.spec.ExperimentSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The random search: trial {@code i} uses family {@code families[i % n]}; the first trial of each
 * family takes the family's defaults (a warm start), every later one parameters drawn from a stream
 * seeded by (seed, i), so a trial does not depend on scheduling. Trials run in parallel
 * and are accounted in index order, so early termination and the listener see the same sequence on
 * every run; the budget is {@code maxTrials} (work), and only an optional wall-clock cap can cut
 * it at a point that depends on the machine ({@link Outcome#cutByTime()} says when it did).
 */
final class TrialSearch {

  /**
   * What the search found.
   *
   * @param trials every finished trial, by index
   * @param cutByTime whether {@code timeBudgetSeconds} stopped it before its trial budget
   * @param predictions regression only: per trial index, its validation prediction of each frame
   *     row (NaN for rows no fold validates), for ensemble selection
   */
  record Outcome(List<TrialResult> trials, boolean cutByTime, Map<Integer, double[]> predictions) {}

  private final ExperimentSpec spec;
  private final TrainingFrame frame;
  private final List<Splits.Fold> folds;
  private final Metric metric;
  private final int classes;

  TrialSearch(ExperimentSpec spec, TrainingFrame frame, List<Splits.Fold> folds, Metric metric, int classes) {
    this.spec = spec;
    this.frame = frame;
    this.folds = folds;
    this.metric = metric;
    this.classes = classes;
  }

  Outcome run(int parallel, int threads, TrialListener listener) {
    long deadline = spec.timeCapped() ? System.nanoTime() + (long) (spec.timeBudgetSeconds() * 1e9) : Long.MAX_VALUE;
    Integer patience = spec.earlyTermination() == null ? null : spec.earlyTermination().noImprovementTrials();
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    CompletionService<Scored> done = new ExecutorCompletionService<>(pool);
    Map<Integer, Scored> finished = new HashMap<>();
    List<TrialResult> accounted = new ArrayList<>();
    Map<Integer, double[]> predictions = new HashMap<>();
    double bestScore = Double.NaN;
    int sinceImprovement = 0;
    int submitted = 0;
    int running = 0;
    long millis = 0;
    boolean stop = false;
    boolean cut = false;
    try {
      while (true) {
        // with a wall-clock cap: do not start a trial that would, at the mean trial time so far, end past it
        int seen = accounted.size() + finished.size();
        long expected = seen == 0 ? 0 : millis * 1_000_000 / seen;
        while (!stop && running < parallel && submitted < spec.maxTrials()) {
          // the first trial always runs: a cap never leaves the search without a model
          if (submitted > 0 && System.nanoTime() + expected >= deadline) {
            cut = true;
            break;
          }
          int index = submitted++;
          done.submit(() -> trial(index, threads));
          running++;
        }
        if (running == 0) {
          break;
        }
        Future<Scored> f = done.take();
        running--;
        Scored r = f.get();
        millis += r.result().millis();
        finished.put(r.result().index(), r);
        // account in index order so early termination does not depend on thread timing
        while (finished.containsKey(accounted.size())) {
          Scored next = finished.remove(accounted.size());
          accept(next, accounted, predictions, listener);
          if (!next.result().failed() && metric.better(next.result().score(), bestScore)) {
            bestScore = next.result().score();
            sinceImprovement = 0;
          } else {
            sinceImprovement++;
          }
          if (patience != null && sinceImprovement >= patience) {
            stop = true;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("search interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("trial crashed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    // trials beyond an early stop (already running when it triggered) are still reported
    finished.keySet().stream().sorted().forEach(i -> accept(finished.get(i), accounted, predictions, listener));
    return new Outcome(accounted, cut && submitted < spec.maxTrials() && !stop, predictions);
  }

  private static void accept(Scored s, List<TrialResult> accounted, Map<Integer, double[]> predictions, TrialListener listener) {
    accounted.add(s.result());
    if (s.predictions() != null) {
      predictions.put(s.result().index(), s.predictions());
    }
    listener.trialFinished(s.result());
  }

  /** A trial's result and its validation predictions (regression). */
  private record Scored(TrialResult result, double[] predictions) {}

  private Scored trial(int index, int threads) {
    String familyName = spec.families().get(index % spec.families().size());
    ModelFamily family = ModelFamilies.named(familyName);
    Map<String, Object> params = index < spec.families().size() ? family.defaults(spec.task())
        : family.sample(new SplittableRandom(spec.seed() * 1_000_003L + index), spec.task());
    long start = System.nanoTime();
    try {
      Validated v = validate(spec, frame, folds, family, params, classes, threads);
      return new Scored(new TrialResult(index, familyName, params, v.metrics(), v.metrics().get(metric.id()),
          (System.nanoTime() - start) / 1_000_000, null), v.predictions());
    } catch (RuntimeException e) {
      return new Scored(new TrialResult(index, familyName, params, Map.of(), Double.NaN,
          (System.nanoTime() - start) / 1_000_000, String.valueOf(e.getMessage())), null);
    }
  }

  /** Validation metrics (mean over folds) and, for regression, each validated row's prediction. */
  record Validated(Map<String, Double> metrics, double[] predictions) {}

  /** Fits {@code family} with {@code params} on each fold's training rows and scores its validation rows. */
  static Validated validate(ExperimentSpec spec, TrainingFrame frame, List<Splits.Fold> folds, ModelFamily family,
      Map<String, Object> params, int classes, int threads) {
    Map<String, Double> sums = new TreeMap<>();
    boolean regression = spec.task() == io.edgeloop.modelpackage.Task.REGRESSION;
    double[] predictions = regression ? new double[frame.rows()] : null;
    if (predictions != null) {
      Arrays.fill(predictions, Double.NaN);
    }
    for (Splits.Fold fold : folds) {
      FittedModel m = family.fit(rows(frame.x(), fold.train()), values(frame.y(), fold.train()),
          spec.task(), classes, params, threads, spec.seed());
      double[][] pred = m.predict(rows(frame.x(), fold.validation()));
      double[] truth = values(frame.y(), fold.validation());
      for (Metric other : Metric.values()) {
        if (other.appliesTo(spec.task())) {
          sums.merge(other.id(), other.compute(truth, pred) / folds.size(), Double::sum);
        }
      }
      if (predictions != null) {
        for (int i = 0; i < pred.length; i++) {
          predictions[fold.validation()[i]] = pred[i][0];
        }
      }
    }
    return new Validated(sums, predictions);
  }

  static float[][] rows(float[][] x, int[] idx) {
    float[][] out = new float[idx.length][];
    for (int i = 0; i < idx.length; i++) {
      out[i] = x[idx[i]];
    }
    return out;
  }

  static double[] values(double[] y, int[] idx) {
    return Arrays.stream(idx).mapToDouble(i -> y[i]).toArray();
  }
}
