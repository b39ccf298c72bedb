package io.edgeloop.automl;

import ai.onnxruntime.OrtException;
import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.features.TrainingFrame;
import io.edgeloop.automl.onnx.OnnxScorer;
import io.edgeloop.automl.onnx.ParityCheck;
import io.edgeloop.automl.search.FittedModel;
import io.edgeloop.automl.search.Metric;
import io.edgeloop.automl.search.ModelFamilies;
import io.edgeloop.automl.search.ModelFamily;
import io.edgeloop.automl.search.Splits;
import io.edgeloop.automl.spec.ExperimentSpec;
import io.edgeloop.automl.spec.ExperimentSpecs;
import io.edgeloop.automl.spec.SpecValidator;
import io.edgeloop.contracts.DatasetRef;
import io.edgeloop.contracts.ModelSignature;
import io.edgeloop.contracts.TensorSpec;
import io.edgeloop.modelpackage.FeaturePipeline;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.modelpackage.ModelPackages;
import io.edgeloop.modelpackage.Provenance;
import io.edgeloop.modelpackage.Samples;
import io.edgeloop.modelpackage.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import java.util.stream.Stream;

/**
 * Runs an experiment: validates the spec, computes features with the shared
 * {@link FeaturePipeline}, runs a seeded random search over model families in parallel, retrains
 * the best trial on all data, exports it to ONNX, checks parity with ONNX Runtime and writes the
 * model package.
 *
 * <p>Trial {@code i} uses family {@code families[i % families.size()]} and parameters drawn from a
 * random stream seeded by (seed, i), so a trial's parameters do not depend on scheduling. Trials are
 * accounted in index order: early termination and the listener see the same sequence on every run
 * with the same seed, data and spec (as long as the time budget does not cut the search).
 */
public final class AutoMl {

  private static final int SAMPLE_ROWS = 50;

  private AutoMl() {}

  /**
   * Runs the experiment.
   *
   * @param spec the experiment
   * @param data the training table (the caller reads its files)
   * @param datasets dataset versions the table was read from, for provenance (may be empty)
   * @param listener hears about every finished trial
   * @param outputDir where the model package is written
   * @throws io.edgeloop.automl.spec.InvalidSpecException when the spec does not fit the data
   * @throws ParityException when ONNX Runtime does not reproduce the trained model
   */
  public static AutoMlResult run(ExperimentSpec spec, Table data, List<DatasetRef> datasets,
      TrialListener listener, Path outputDir) throws IOException {
    SpecValidator.validate(spec, data);
    TrainingFrame frame = TrainingFrame.build(spec, data);
    if (frame.featureSpec().featureOrder().isEmpty()) {
      throw new io.edgeloop.automl.spec.InvalidSpecException("features", "no usable feature column is left");
    }
    Task task = spec.task();
    int classes = task == Task.REGRESSION ? 1 : frame.classLabels().size();
    if (task == Task.BINARY && classes != 2) {
      throw new io.edgeloop.automl.spec.InvalidSpecException("target", "binary needs 2 classes, found " + classes);
    }
    Metric metric = Metric.parse(spec.primaryMetric());
    List<Splits.Fold> folds = "kfold".equals(spec.validation().type())
        ? Splits.kfold(frame.groups(), spec.validation().folds(), spec.seed())
        : Splits.holdout(frame.groups(), spec.validation().fraction(), spec.seed());

    int cores = Runtime.getRuntime().availableProcessors();
    int parallel = Math.max(1, Math.min(spec.parallelism() > 0 ? spec.parallelism() : cores, spec.maxTrials()));
    int threadsPerTrial = Math.max(1, cores / parallel);
    List<TrialResult> trials = search(spec, frame, folds, metric, classes, parallel, threadsPerTrial, listener);
    TrialResult best = null;
    for (TrialResult t : trials) {
      if (!t.failed() && (best == null || metric.better(t.score(), best.score()))) {
        best = t;
      }
    }
    if (best == null) {
      throw new IllegalStateException("every trial failed; first error: "
          + (trials.isEmpty() ? "no trial ran" : trials.get(0).error()));
    }

    ModelFamily family = ModelFamilies.named(best.family());
    FittedModel model = family.fit(frame.x(), frame.y(), task, classes, best.params(), cores, spec.seed());
    byte[] onnx = model.toOnnx(spec.name());
    float[][] validationRows = rows(frame.x(), folds.get(0).validation());
    ParityCheck.Result parity;
    double[][] sampleOutputs;
    int samples = Math.min(SAMPLE_ROWS, frame.rows());
    try {
      parity = ParityCheck.run(model, onnx, validationRows);
      try (OnnxScorer scorer = new OnnxScorer(onnx)) {
        sampleOutputs = scorer.score(Arrays.copyOf(frame.x(), samples));
      }
    } catch (OrtException e) {
      throw new ParityException("ONNX Runtime could not run the exported graph: " + e.getMessage());
    }
    if (!parity.passed()) {
      throw new ParityException("ONNX parity check failed for " + best.family() + ": max abs diff "
          + parity.maxAbsDiff() + " over " + parity.rows() + " validation rows exceeds "
          + ParityCheck.ABS_TOLERANCE + " + " + ParityCheck.REL_TOLERANCE + " * |prediction|");
    }

    Map<String, Double> metrics = new TreeMap<>(best.metrics());
    metrics.put("parity_max_abs_diff", parity.maxAbsDiff());
    List<Map<String, Double>> sampleRows = new ArrayList<>();
    List<List<Double>> expected = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      sampleRows.add(new TreeMap<>(frame.rawRow(data, i)));
      expected.add(Arrays.stream(sampleOutputs[i]).boxed().toList());
    }
    ModelManifest manifest = new ModelManifest(spec.name(), 0, task, frame.classLabels(), null,
        signature(task, frame.featureSpec().featureOrder().size(), classes), frame.featureSpec(),
        metrics, metric.id(), provenance(spec, data, datasets), new Samples(sampleRows, expected));
    ModelManifest written = ModelPackages.write(outputDir, manifest, onnx);
    return new AutoMlResult(written, outputDir, trials, best, parity.maxAbsDiff());
  }

  private static List<TrialResult> search(ExperimentSpec spec, TrainingFrame frame, List<Splits.Fold> folds,
      Metric metric, int classes, int parallel, int threads, TrialListener listener) {
    long deadline = System.nanoTime() + (long) (spec.timeBudgetSeconds() * 1e9);
    Integer patience = spec.earlyTermination() == null ? null : spec.earlyTermination().noImprovementTrials();
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    CompletionService<TrialResult> done = new ExecutorCompletionService<>(pool);
    Map<Integer, TrialResult> finished = new HashMap<>();
    List<TrialResult> accounted = new ArrayList<>();
    double bestScore = Double.NaN;
    int sinceImprovement = 0;
    int submitted = 0;
    int running = 0;
    boolean stop = false;
    try {
      while (true) {
        // do not start a trial that would, at the mean trial time so far, end past the deadline
        long expected = accounted.isEmpty() && finished.isEmpty() ? 0
            : (long) (Stream.concat(accounted.stream(), finished.values().stream())
                .mapToLong(TrialResult::millis).average().orElse(0) * 1e6);
        while (!stop && running < parallel && submitted < spec.maxTrials()
            && System.nanoTime() + expected < deadline) {
          int index = submitted++;
          done.submit(() -> trial(spec, frame, folds, metric, classes, index, threads));
          running++;
        }
        if (running == 0) {
          break;
        }
        Future<TrialResult> f = done.take();
        running--;
        TrialResult r = f.get();
        finished.put(r.index(), r);
        // account in index order so early termination does not depend on thread timing
        while (finished.containsKey(accounted.size())) {
          TrialResult next = finished.remove(accounted.size());
          accounted.add(next);
          listener.trialFinished(next);
          if (!next.failed() && metric.better(next.score(), bestScore)) {
            bestScore = next.score();
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
    finished.values().stream().sorted((a, b) -> Integer.compare(a.index(), b.index())).forEach(t -> {
      accounted.add(t);
      listener.trialFinished(t);
    });
    return accounted;
  }

  private static TrialResult trial(ExperimentSpec spec, TrainingFrame frame, List<Splits.Fold> folds,
      Metric metric, int classes, int index, int threads) {
    String familyName = spec.families().get(index % spec.families().size());
    ModelFamily family = ModelFamilies.named(familyName);
    Map<String, Object> params = family.sample(new SplittableRandom(spec.seed() * 1_000_003L + index), spec.task());
    long start = System.nanoTime();
    try {
      Map<String, Double> sums = new TreeMap<>();
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
      }
      return new TrialResult(index, familyName, params, sums, sums.get(metric.id()),
          (System.nanoTime() - start) / 1_000_000, null);
    } catch (RuntimeException e) {
      return new TrialResult(index, familyName, params, Map.of(), Double.NaN,
          (System.nanoTime() - start) / 1_000_000, String.valueOf(e.getMessage()));
    }
  }

  private static float[][] rows(float[][] x, int[] idx) {
    float[][] out = new float[idx.length][];
    for (int i = 0; i < idx.length; i++) {
      out[i] = x[idx[i]];
    }
    return out;
  }

  private static double[] values(double[] y, int[] idx) {
    return Arrays.stream(idx).mapToDouble(i -> y[i]).toArray();
  }

  private static ModelSignature signature(Task task, int features, int classes) {
    List<TensorSpec> in = List.of(new TensorSpec("features", "FP32", List.of(-1L, (long) features)));
    List<TensorSpec> out = task == Task.REGRESSION
        ? List.of(new TensorSpec("variable", "FP32", List.of(-1L, 1L)))
        : List.of(new TensorSpec("label", "INT64", List.of(-1L)),
            new TensorSpec("probabilities", "FP32", List.of(-1L, (long) classes)));
    return new ModelSignature(in, out);
  }

  private static Provenance provenance(ExperimentSpec spec, Table data, List<DatasetRef> datasets) {
    String hash = data.sha256();
    List<Provenance.DatasetHash> hashes = datasets.isEmpty()
        ? List.of(new Provenance.DatasetHash(null, hash))
        : datasets.stream().map(d -> new Provenance.DatasetHash(d, hash)).toList();
    Map<String, String> libraries = new LinkedHashMap<>();
    libraries.put("xgboost4j", Versions.of("ml.dmlc", "xgboost4j_2.13"));
    libraries.put("onnxruntime", OnnxScorer.runtimeVersion());
    libraries.put("edgeloop-automl", Versions.of("io.edgeloop", "edgeloop-automl"));
    libraries.put("onnx.opset", "ai.onnx 17, ai.onnx.ml 3");
    Map<String, String> platform = new LinkedHashMap<>();
    platform.put("os.name", System.getProperty("os.name"));
    platform.put("os.arch", System.getProperty("os.arch"));
    platform.put("java.version", System.getProperty("java.version"));
    platform.put("java.vendor", System.getProperty("java.vendor"));
    platform.put("availableProcessors", Integer.toString(Runtime.getRuntime().availableProcessors()));
    return new Provenance(hashes, ExperimentSpecs.toMap(spec), spec.seed(), libraries, platform);
  }
}
