package io.edgeloop.training.trainer;

import io.edgeloop.contracts.RunFailureReason;
import io.edgeloop.contracts.RunPhase;
import io.edgeloop.automl.AutoMl;
import io.edgeloop.automl.AutoMlResult;
import io.edgeloop.automl.TrialResult;
import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.holdout.GroupHoldout;
import io.edgeloop.automl.spec.ExperimentSpec;
import io.edgeloop.automl.spec.ExperimentSpecs;
import io.edgeloop.automl.spec.InvalidSpecException;
import io.edgeloop.contracts.DatasetRef;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.modelpackage.ModelPackages;
import io.edgeloop.modelpackage.Task;
import io.edgeloop.training.config.TrainingProperties;
import io.edgeloop.training.config.TrainingProperties.SearchPolicy;
import io.edgeloop.training.dataset.DatasetLoader;
import io.edgeloop.training.dataset.DatasetVersion;
import io.edgeloop.training.run.RunFailure;
import io.edgeloop.training.tracking.Trial;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The built-in trainer ({@code kind: automl}): settings are the AutoML experiment spec (see
 * {@code automl/README.md}); the training table is every dataset version of the run, concatenated.
 * Runs in this JVM (the compute target's concurrency limit still applies).
 *
 * <p>Two paths ({@link TrainingPathPolicy} picks one and the run records it as the tags
 * {@code path} and {@code path.reason}): a <em>search</em> records each trial under the run
 * ({@code GET /api/runs/{id}/trials}: family, params, metrics, score, time, error), logs it as a
 * line and as metrics {@code trial.<metric>} with the trial index as step; a <em>refit</em> fits the
 * champion's recorded configuration on all data and records it as the run's one trial.
 *
 * <p>Regression runs keep a fixed share of groups out of training ({@code holdoutFraction}, default
 * 0.2, see {@link GroupHoldout}) and score the new model and the champion on them
 * ({@link GateScores}), which the registry's gate compares. The code hash is the hash of the AutoML
 * library jar, the environment this JVM.
 */
public class AutoMlTrainer implements Trainer {
  /** Settings keys of the service, not of the AutoML spec. */
  private static final List<String> SERVICE_KEYS = List.of("timeoutSeconds", "modelName", "holdoutFraction", "path");
  private final DatasetLoader loader;
  private final ChampionPackages champions;
  private final SearchHistory history;
  private final TrainingProperties properties;

  public AutoMlTrainer(DatasetLoader loader, ChampionPackages champions, SearchHistory history, TrainingProperties properties) {
    this.loader = loader;
    this.champions = champions;
    this.history = history;
    this.properties = properties;
  }

  @Override
  public String kind() {
    return "automl";
  }

  @Override
  public PreparedRun prepare(TrainerContext ctx) throws RunFailure, IOException {
    Map<String, Object> settings = new LinkedHashMap<>(ctx.settings());
    double holdoutFraction = settings.get("holdoutFraction") instanceof Number n ? n.doubleValue() : 0.2;
    String requested = settings.get("path") == null ? null : String.valueOf(settings.get("path"));
    if (requested != null && !List.of("auto", "search", "refit").contains(requested)) {
      throw new RunFailure(RunPhase.PREPARING, RunFailureReason.INVALID_SPEC, "path: '" + requested + "' is not auto, search or refit");
    }
    SERVICE_KEYS.forEach(settings::remove);
    ExperimentSpec spec;
    try {
      spec = ExperimentSpecs.fromMap(settings);
    } catch (IllegalArgumentException e) {
      throw new RunFailure(RunPhase.PREPARING, RunFailureReason.INVALID_SPEC, e.getMessage());
    }
    Table all = loader.load(ctx.datasets(), ctx.workDir().resolve("data"));
    String groupKey = spec.timeSeries() == null ? null : spec.timeSeries().groupKey();
    GroupHoldout.Split split = holdoutFraction > 0 && spec.task() == Task.REGRESSION
        ? GroupHoldout.split(all, groupKey, holdoutFraction) : new GroupHoldout.Split(all, null);
    if (split.holdout() != null && split.holdout().rowCount() > 0 && split.train().rowCount() == 0) {
      // Training on these rows would put them in this model and in the holdout every later model
      // is scored on (the holdout is fixed per unit across runs), so the champion gate would favour
      // this model on data it saw.
      throw new RunFailure(RunPhase.PREPARING, RunFailureReason.NO_DATA, "all " + split.holdout().rowCount()
          + " rows belong to units in the fixed service holdout (holdoutFraction " + holdoutFraction
          + "): nothing is left to train on; add data of more units, or set holdoutFraction 0");
    }
    boolean holdoutUsable = split.holdout() != null && split.holdout().rowCount() > 0 && split.train().rowCount() > 0;
    Table training = holdoutUsable ? split.train() : all;
    Table holdout = holdoutUsable ? split.holdout() : null;
    ctx.tracker().line("system", "training table: " + training.rowCount() + " rows (service holdout: "
        + (holdout == null ? 0 : holdout.rowCount()) + " rows), columns " + all.columnNames());

    Optional<ChampionPackages.ChampionPackage> champion = champion(ctx);
    TrainingPath path = TrainingPathPolicy.decide(inputs(ctx, spec, requested, champion), searchPolicy(ctx));
    ctx.tracker().line("system", "path: " + path.kind().id() + " (" + path.reason() + "): " + path.detail());
    ctx.tracker().tags(Map.of("path", path.kind().id(), "path.reason", path.reason()));
    Map<String, String> params = new LinkedHashMap<>(Map.of("rows", String.valueOf(training.rowCount()),
        "holdout.rows", String.valueOf(holdout == null ? 0 : holdout.rowCount()), "table.sha256", all.sha256(),
        "path", path.kind().id(), "path.reason", path.reason()));
    if (path.kind() == TrainingPath.Kind.REFIT) {
      params.put("refit.of", "v" + champion.orElseThrow().version());
    }
    ctx.tracker().params(params);
    String codeHash = codeHash();
    return new PreparedRun() {
      @Override
      public String codeHash() {
        return codeHash;
      }

      @Override
      public TrainerResult execute() throws RunFailure, InterruptedException {
        ctx.tracker().environment("jvm:" + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
            + " " + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        AutoMlResult result = run(ctx, spec, training, path, champion);
        if (result.cutByTime()) {
          ctx.tracker().tags(Map.of("search.cut_by_time", "true"));
          ctx.tracker().line("system", "the search stopped at timeBudgetSeconds before maxTrials: another machine"
              + " (or load) may give another model from the same spec and data");
        }
        ModelManifest manifest = result.manifest();
        ctx.tracker().metric("parity_max_abs_diff", result.parityMaxAbsDiff(), 0);
        Map<String, Double> metrics = new LinkedHashMap<>(manifest.metrics());
        if (holdout != null) {
          metrics.putAll(GateScores.measure(ctx.tracker(), spec, holdout, result, champion));
        }
        return new TrainerResult(result.packageDir().resolve(ModelPackages.ONNX_FILE), manifest.signature(), metrics,
            manifest.primaryMetric(), manifest.task().name().toLowerCase(java.util.Locale.ROOT), manifest, null);
      }
    };
  }

  private Optional<ChampionPackages.ChampionPackage> champion(TrainerContext ctx) {
    try {
      return champions.champion(ctx.modelName());
    } catch (IOException | RuntimeException e) {
      ctx.tracker().line("system", "the champion's package could not be read (" + e + "): it is neither refitted nor compared on the holdout");
      return Optional.empty();
    }
  }

  private TrainingPathPolicy.Inputs inputs(TrainerContext ctx, ExperimentSpec spec, String requested,
      Optional<ChampionPackages.ChampionPackage> champion) {
    String dataset = properties.experiment(ctx.run().experiment()).map(TrainingProperties.Experiment::dataset)
        .orElse(ctx.datasets().isEmpty() ? null : ctx.datasets().get(ctx.datasets().size() - 1).ref().name());
    long latest = ctx.datasets().stream().map(DatasetVersion::ref).filter(r -> r.name().equals(dataset))
        .mapToLong(DatasetRef::version).max().orElse(0);
    OptionalLong searched = dataset == null ? OptionalLong.empty() : history.lastSearchedVersion(ctx.run().experiment(), dataset);
    ModelManifest manifest = champion.map(ChampionPackages.ChampionPackage::manifest).orElse(null);
    return new TrainingPathPolicy.Inputs(requested, String.valueOf(ctx.run().trigger()),
        champion.map(ChampionPackages.ChampionPackage::version).orElse(null),
        manifest != null && manifest.training() != null && manifest.preprocessing() != null,
        manifest != null && !sameSpec(spec, manifest), latest, searched);
  }

  /** Whether the champion was made with this spec (compared as parsed specs, so number types and defaults do not matter). */
  private static boolean sameSpec(ExperimentSpec spec, ModelManifest champion) {
    try {
      return champion.provenance() != null && spec.equals(ExperimentSpecs.fromMap(champion.provenance().spec()));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private SearchPolicy searchPolicy(TrainerContext ctx) {
    return properties.experiment(ctx.run().experiment()).map(TrainingProperties.Experiment::search)
        .orElse(new SearchPolicy(null, null, null));
  }

  private AutoMlResult run(TrainerContext ctx, ExperimentSpec spec, Table table, TrainingPath path,
      Optional<ChampionPackages.ChampionPackage> champion) throws RunFailure, InterruptedException {
    Path out = ctx.workDir().resolve("package");
    List<DatasetRef> refs = ctx.datasets().stream().map(DatasetVersion::ref).toList();
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "automl-" + ctx.run().id()));
    try {
      Future<AutoMlResult> future = thread.submit(() -> {
        if (path.kind() == TrainingPath.Kind.REFIT) {
          AutoMlResult refit = AutoMl.refit(spec, table, refs, champion.orElseThrow().manifest(), out);
          refit.trials().forEach(t -> record(ctx, t));
          return refit;
        }
        return AutoMl.run(spec, table, refs, trial -> record(ctx, trial), out);
      });
      long deadline = System.nanoTime() + ctx.timeout().toNanos();
      while (true) {
        try {
          return future.get(200, TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
          if (ctx.canceled().getAsBoolean()) {
            future.cancel(true);
            throw new RunFailure(RunPhase.RUNNING, RunFailureReason.CANCELED, "run canceled");
          }
          if (System.nanoTime() > deadline) {
            future.cancel(true);
            throw new RunFailure(RunPhase.RUNNING, RunFailureReason.TIMEOUT, "AutoML exceeded the run's time limit of " + ctx.timeout().toSeconds() + " s");
          }
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InvalidSpecException invalid) {
        RunFailureReason reason = invalid.getMessage().contains("unknown column") ? RunFailureReason.UNKNOWN_COLUMN : RunFailureReason.INVALID_SPEC;
        throw new RunFailure(RunPhase.PREPARING, reason, invalid.getMessage(), invalid);
      }
      throw new RunFailure(RunPhase.RUNNING, RunFailureReason.TRAINING_ERROR, String.valueOf(cause), cause);
    } finally {
      thread.shutdownNow();
    }
  }

  private static void record(TrainerContext ctx, TrialResult trial) {
    ctx.tracker().trial(new Trial(trial.index(), trial.family(), trial.params(),
        trial.failed() || trial.metrics() == null ? Map.of() : trial.metrics(),
        trial.failed() || !Double.isFinite(trial.score()) ? null : trial.score(), trial.millis(), trial.error()));
    if (trial.failed()) {
      ctx.tracker().line("system", "trial " + trial.index() + " (" + trial.family() + ") failed: " + trial.error());
      return;
    }
    ctx.tracker().line("system", "trial " + trial.index() + " (" + trial.family() + ") " + trial.metrics() + " in " + trial.millis() + " ms, params " + trial.params());
    trial.metrics().forEach((k, v) -> ctx.tracker().metric("trial." + k, v, trial.index()));
  }

  private static String codeHash() {
    try {
      Path jar = Path.of(AutoMl.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(jar)) {
        return "automl-classes:" + jar;
      }
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(Files.newInputStream(jar), md)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (Exception e) {
      return "automl-unknown";
    }
  }
}
