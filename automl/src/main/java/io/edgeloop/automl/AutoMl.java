package io.edgeloop.automl;

import ai.onnxruntime.OrtException;
import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.features.TrainingFrame;
import io.edgeloop.automl.onnx.OnnxScorer;
import io.edgeloop.automl.onnx.ParityCheck;
import io.edgeloop.automl.search.Ensemble;
import io.edgeloop.automl.search.FittedModel;
import io.edgeloop.automl.search.Metric;
import io.edgeloop.automl.search.ModelFamilies;
import io.edgeloop.automl.search.Splits;
import io.edgeloop.automl.spec.ExperimentSpec;
import io.edgeloop.automl.spec.ExperimentSpecs;
import io.edgeloop.automl.spec.InvalidSpecException;
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
import io.edgeloop.modelpackage.TrainedPipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Runs an experiment, on one of two paths:
 * <ul>
 *   <li>{@link #run search}: validates the spec, derives the features from the data (operating
 *       regimes, constant columns) and computes them with the shared {@link FeaturePipeline}, runs
 *       a seeded random search over model families (see {@link TrialSearch}), picks the best trial
 *       or an average of the best ({@code ensemble}), and fits it on all rows;
 *   <li>{@link #refit refit}: fits a package's recorded configuration (its features, families and
 *       hyperparameters) on new data, without searching: seconds instead of minutes.
 * </ul>
 * Both export the model to ONNX, check parity with ONNX Runtime and write the model package, whose
 * manifest records the configuration ({@link TrainedPipeline}) for the next refit.
 */
public final class AutoMl {

  private static final int SAMPLE_ROWS = 50;

  private AutoMl() {}

  /**
   * Searches and packages the best model.
   *
   * @param spec the experiment
   * @param data the training table (the caller reads its files)
   * @param datasets dataset versions the table was read from, for provenance (may be empty)
   * @param listener hears about every finished trial
   * @param outputDir where the model package is written
   * @throws InvalidSpecException when the spec does not fit the data
   * @throws ParityException when ONNX Runtime does not reproduce the trained model
   */
  public static AutoMlResult run(ExperimentSpec spec, Table data, List<DatasetRef> datasets,
      TrialListener listener, Path outputDir) throws IOException {
    SpecValidator.validate(spec, data);
    TrainingFrame frame = TrainingFrame.build(spec, data);
    Setup setup = Setup.of(spec, frame, true);
    int cores = Runtime.getRuntime().availableProcessors();
    int parallel = Math.max(1, Math.min(spec.parallelism() > 0 ? spec.parallelism() : cores, spec.maxTrials()));
    TrialSearch.Outcome outcome = new TrialSearch(spec, frame, setup.folds(), setup.metric(), setup.classes())
        .run(parallel, Math.max(1, cores / parallel), listener);
    TrialResult best = null;
    for (TrialResult t : outcome.trials()) {
      if (!t.failed() && (best == null || setup.metric().better(t.score(), best.score()))) {
        best = t;
      }
    }
    if (best == null) {
      throw new IllegalStateException("every trial failed; first error: "
          + (outcome.trials().isEmpty() ? "no trial ran" : outcome.trials().get(0).error()));
    }
    EnsembleSelection.Selection selection = EnsembleSelection.select(outcome.trials(), outcome.predictions(), frame.y(),
        setup.metric(), spec.ensemble(), best);
    TrainedPipeline pipeline = new TrainedPipeline(selection.members(), spec.seed(), describe(datasets));
    FittedModel model = fit(spec, frame, setup, pipeline, cores);
    ModelManifest manifest = write(spec, data, datasets, frame, setup, model, pipeline, selection.metrics(), outputDir);
    return new AutoMlResult(manifest, outputDir, outcome.trials(), best, manifest.metrics().get("parity_max_abs_diff"),
        outcome.cutByTime());
  }

  /**
   * Fits {@code champion}'s configuration on {@code data}: the same features (its feature spec,
   * regimes included), families, hyperparameters, weights and seed; no search. The configuration
   * is first validated on one group-aware holdout split ({@code validation.fraction}, even when the
   * search used k folds: a refit is meant to take seconds), so the package has validation metrics
   * like a searched one; the result's single trial is that validation.
   *
   * @param champion the manifest of the package to refit; must record its {@link TrainedPipeline}
   * @throws InvalidSpecException when the spec does not fit the data or the champion's raw columns
   *     are not in it
   * @throws IllegalArgumentException when the champion records no configuration
   */
  public static AutoMlResult refit(ExperimentSpec spec, Table data, List<DatasetRef> datasets, ModelManifest champion,
      Path outputDir) throws IOException {
    TrainedPipeline recorded = refittable(champion);
    SpecValidator.validate(spec, data);
    for (var column : champion.preprocessing().rawColumns()) {
      if (!data.has(column.name()) || !data.isNumeric(column.name())) {
        throw new InvalidSpecException("preprocessing", "the model to refit reads column '" + column.name()
            + "', which the data does not have as a number; columns are " + data.columnNames());
      }
    }
    long start = System.nanoTime();
    TrainingFrame frame = TrainingFrame.build(spec, data, champion.preprocessing());
    Setup setup = Setup.of(spec, frame, false);
    int cores = Runtime.getRuntime().availableProcessors();
    Map<String, Double> metrics = validate(spec, frame, setup, recorded, cores);
    TrainedPipeline pipeline = new TrainedPipeline(recorded.members(), recorded.seed(), recorded.searchedOn());
    FittedModel model = fit(spec, frame, setup, pipeline, cores);
    ModelManifest manifest = write(spec, data, datasets, frame, setup, model, pipeline, metrics, outputDir);
    String family = recorded.members().size() == 1 ? recorded.members().get(0).family() : "ensemble";
    Map<String, Object> params = recorded.members().size() == 1 ? recorded.members().get(0).params()
        : Map.of("members", recorded.members().stream().map(m -> m.family() + "×" + m.weight()).toList());
    TrialResult trial = new TrialResult(0, family, params, metrics, metrics.get(setup.metric().id()),
        (System.nanoTime() - start) / 1_000_000, null);
    return new AutoMlResult(manifest, outputDir, List.of(trial), trial, manifest.metrics().get("parity_max_abs_diff"), false);
  }

  /** The configuration recorded in {@code manifest}, or why it cannot be refitted. */
  public static TrainedPipeline refittable(ModelManifest manifest) {
    if (manifest.training() == null || manifest.preprocessing() == null) {
      throw new IllegalArgumentException("model " + manifest.name() + " v" + manifest.version()
          + " records no AutoML configuration (made by a script, or by an older edgeloop), so it cannot be refitted");
    }
    return manifest.training();
  }

  /** The task-dependent pieces both paths share. */
  private record Setup(Metric metric, int classes, List<Splits.Fold> folds) {
    /** @param folds whether the spec's k folds apply (a search), or one holdout split (a refit) */
    static Setup of(ExperimentSpec spec, TrainingFrame frame, boolean folds) {
      if (frame.featureSpec().featureOrder().isEmpty()) {
        throw new InvalidSpecException("features", "no usable feature column is left");
      }
      Task task = spec.task();
      int classes = task == Task.REGRESSION ? 1 : frame.classLabels().size();
      if (task == Task.BINARY && classes != 2) {
        throw new InvalidSpecException("target", "binary needs 2 classes, found " + classes);
      }
      List<Splits.Fold> splits = folds && "kfold".equals(spec.validation().type())
          ? Splits.kfold(frame.groups(), spec.validation().folds(), spec.seed())
          : Splits.holdout(frame.groups(), spec.validation().fraction(), spec.seed());
      return new Setup(Metric.parse(spec.primaryMetric()), classes, splits);
    }
  }

  /** Validation metrics of a configuration: each member validated, their weighted average scored. */
  private static Map<String, Double> validate(ExperimentSpec spec, TrainingFrame frame, Setup setup, TrainedPipeline pipeline,
      int cores) {
    if (pipeline.members().size() == 1) {
      TrainedPipeline.Member m = pipeline.members().get(0);
      return TrialSearch.validate(spec, frame, setup.folds(), ModelFamilies.named(m.family()), m.params(), setup.classes(), cores)
          .metrics();
    }
    double[] sum = new double[frame.rows()];
    for (TrainedPipeline.Member m : pipeline.members()) {
      double[] p = TrialSearch.validate(spec, frame, setup.folds(), ModelFamilies.named(m.family()), m.params(),
          setup.classes(), cores).predictions();
      for (int i = 0; i < sum.length; i++) {
        sum[i] += m.weight() * p[i];
      }
    }
    int[] rows = java.util.stream.IntStream.range(0, sum.length).filter(i -> !Double.isNaN(sum[i])).toArray();
    double[][] average = Arrays.stream(rows).mapToObj(i -> new double[] {sum[i]}).toArray(double[][]::new);
    double[] truth = TrialSearch.values(frame.y(), rows);
    Map<String, Double> metrics = new TreeMap<>();
    for (Metric m : Metric.values()) {
      if (m.appliesTo(spec.task())) {
        metrics.put(m.id(), m.compute(truth, average));
      }
    }
    return metrics;
  }

  /** Fits every member on all rows (one after the other, each with every core) and averages them. */
  private static FittedModel fit(ExperimentSpec spec, TrainingFrame frame, Setup setup, TrainedPipeline pipeline, int cores) {
    List<FittedModel> models = new ArrayList<>();
    for (TrainedPipeline.Member m : pipeline.members()) {
      models.add(ModelFamilies.named(m.family()).fit(frame.x(), frame.y(), spec.task(), setup.classes(), m.params(), cores,
          pipeline.seed()));
    }
    return Ensemble.of(models, pipeline.members().stream().mapToDouble(TrainedPipeline.Member::weight).toArray());
  }

  private static ModelManifest write(ExperimentSpec spec, Table data, List<DatasetRef> datasets, TrainingFrame frame,
      Setup setup, FittedModel model, TrainedPipeline pipeline, Map<String, Double> validation, Path outputDir)
      throws IOException {
    byte[] onnx = model.toOnnx(spec.name());
    float[][] validationRows = TrialSearch.rows(frame.x(), setup.folds().get(0).validation());
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
      throw new ParityException("ONNX parity check failed for " + pipeline.members().stream().map(TrainedPipeline.Member::family)
          .collect(Collectors.joining("+")) + ": max abs diff " + parity.maxAbsDiff() + " over " + parity.rows()
          + " validation rows exceeds " + ParityCheck.ABS_TOLERANCE + " + " + ParityCheck.REL_TOLERANCE + " * |prediction|");
    }
    Map<String, Double> metrics = new TreeMap<>(validation);
    metrics.put("parity_max_abs_diff", parity.maxAbsDiff());
    List<Map<String, Double>> sampleRows = new ArrayList<>();
    List<List<Double>> expected = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      sampleRows.add(new TreeMap<>(frame.rawRow(data, i)));
      expected.add(Arrays.stream(sampleOutputs[i]).boxed().toList());
    }
    ModelManifest manifest = new ModelManifest(spec.name(), 0, spec.task(), frame.classLabels(), null,
        signature(spec.task(), frame.featureSpec().featureOrder().size(), setup.classes()), frame.featureSpec(),
        metrics, setup.metric().id(), provenance(spec, data, datasets), new Samples(sampleRows, expected), pipeline);
    return ModelPackages.write(outputDir, manifest, onnx);
  }

  /** Dataset versions as {@code name@1..3} (consecutive) or {@code name@1,4}; empty when unknown. */
  static String describe(List<DatasetRef> datasets) {
    Map<String, List<Long>> byName = new LinkedHashMap<>();
    datasets.forEach(d -> byName.computeIfAbsent(d.name(), n -> new ArrayList<>()).add(d.version()));
    return byName.entrySet().stream().map(e -> {
      List<Long> v = e.getValue().stream().sorted().toList();
      boolean consecutive = v.get(v.size() - 1) - v.get(0) == v.size() - 1;
      return e.getKey() + "@" + (v.size() > 1 && consecutive ? v.get(0) + ".." + v.get(v.size() - 1)
          : v.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }).collect(Collectors.joining(" "));
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
