package io.edgeloop.training.trainer;

import io.edgeloop.contracts.RunFailureReason;
import io.edgeloop.contracts.RunPhase;
import io.edgeloop.automl.AutoMl;
import io.edgeloop.automl.AutoMlResult;
import io.edgeloop.automl.TrialResult;
import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.spec.ExperimentSpec;
import io.edgeloop.automl.spec.ExperimentSpecs;
import io.edgeloop.automl.spec.InvalidSpecException;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.modelpackage.ModelPackages;
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
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The built-in trainer ({@code kind: automl}): settings are the AutoML experiment spec (see
 * {@code automl/README.md}); the training table is every dataset version of the run, concatenated.
 * Runs in this JVM (the compute target's concurrency limit still applies); each trial is recorded
 * under the run ({@code GET /api/runs/{id}/trials}: family, params, metrics, score, time, error),
 * logged as a line, and as metrics {@code trial.<metric>} with the trial index as step. The code hash is the hash
 * of the AutoML library jar, the environment this JVM. Regression runs keep a fixed share of groups
 * out of training ({@code holdoutFraction}, default 0.2, see {@link HoldoutSplit}) to compare the new
 * model with the champion on the same unseen rows.
 */
public class AutoMlTrainer implements Trainer {
  private final DatasetLoader loader;
  private final ChampionPackages champions;

  public AutoMlTrainer(DatasetLoader loader, ChampionPackages champions) {
    this.loader = loader;
    this.champions = champions;
  }

  @Override
  public String kind() {
    return "automl";
  }

  @Override
  public PreparedRun prepare(TrainerContext ctx) throws RunFailure, IOException {
    Map<String, Object> settings = new LinkedHashMap<>(ctx.settings());
    settings.remove("timeoutSeconds");
    settings.remove("modelName");
    double holdoutFraction = settings.remove("holdoutFraction") instanceof Number n ? n.doubleValue() : 0.2;
    ExperimentSpec spec;
    try {
      spec = ExperimentSpecs.fromMap(settings);
    } catch (IllegalArgumentException e) {
      throw new RunFailure(RunPhase.PREPARING, RunFailureReason.INVALID_SPEC, e.getMessage());
    }
    Table all = loader.load(ctx.datasets(), ctx.workDir().resolve("data"));
    String groupKey = spec.timeSeries() == null ? null : spec.timeSeries().groupKey();
    Table[] parts = holdoutFraction > 0 && spec.task() == io.edgeloop.modelpackage.Task.REGRESSION
        ? HoldoutSplit.split(all, groupKey, holdoutFraction) : new Table[] {all, null};
    Table table = parts[0];
    Table holdout = parts[1] == null || parts[1].rowCount() == 0 || table.rowCount() == 0 ? null : parts[1];
    if (holdout == null) {
      table = all;
    }
    ctx.tracker().line("system", "training table: " + table.rowCount() + " rows (service holdout: "
        + (holdout == null ? 0 : holdout.rowCount()) + " rows), columns " + all.columnNames());
    ctx.tracker().params(Map.of("rows", String.valueOf(table.rowCount()), "holdout.rows", String.valueOf(holdout == null ? 0 : holdout.rowCount()),
        "table.sha256", all.sha256()));
    Table training = table;
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
        AutoMlResult result = run(ctx, spec, training);
        ModelManifest manifest = result.manifest();
        ctx.tracker().metric("parity_max_abs_diff", result.parityMaxAbsDiff(), 0);
        Map<String, Double> metrics = new LinkedHashMap<>(manifest.metrics());
        if (holdout != null) {
          metrics.putAll(holdoutMetrics(ctx, spec, holdout, result));
        }
        return new TrainerResult(result.packageDir().resolve(ModelPackages.ONNX_FILE), manifest.signature(), metrics,
            manifest.primaryMetric(), manifest.task().name().toLowerCase(java.util.Locale.ROOT), manifest, null);
      }
    };
  }

  private AutoMlResult run(TrainerContext ctx, ExperimentSpec spec, Table table) throws RunFailure, InterruptedException {
    Path out = ctx.workDir().resolve("package");
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "automl-" + ctx.run().id()));
    try {
      Future<AutoMlResult> future = thread.submit(() -> AutoMl.run(spec, table,
          ctx.datasets().stream().map(DatasetVersion::ref).toList(), trial -> record(ctx, trial), out));
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

  /**
   * Scores the new model and the current champion on the service's holdout: {@code holdout.<primary>},
   * {@code champion.<primary>} and {@code champion.version}, which the registry then compares. A
   * champion that cannot be scored (other raw columns, other task) is left to the recorded metrics.
   */
  private Map<String, Double> holdoutMetrics(TrainerContext ctx, ExperimentSpec spec, Table holdout, AutoMlResult result) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    String primary = result.manifest().primaryMetric();
    HoldoutEvaluator evaluator;
    try {
      evaluator = new HoldoutEvaluator(spec, holdout);
      metrics.put("holdout." + primary, evaluator.score(result.manifest(), Files.readAllBytes(result.packageDir().resolve(ModelPackages.ONNX_FILE)), primary));
    } catch (Exception e) {
      ctx.tracker().line("system", "holdout evaluation skipped: " + e);
      return metrics;
    }
    try {
      var champion = champions.champion(ctx.modelName());
      if (champion.isPresent()) {
        double score = evaluator.score(champion.get().manifest(), champion.get().onnx(), primary);
        metrics.put("champion." + primary, score);
        metrics.put("champion.version", (double) champion.get().version());
        ctx.tracker().line("system", "holdout (" + evaluator.rows() + " rows) " + primary + ": new model " + metrics.get("holdout." + primary)
            + ", champion v" + champion.get().version() + " " + score);
      }
    } catch (Exception e) {
      ctx.tracker().line("system", "champion not scored on the holdout (" + e + "); the recorded metrics will be compared");
    }
    return metrics;
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
