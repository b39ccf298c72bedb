package io.edgeloop.training.trainer;

import io.edgeloop.contracts.RunFailureReason;
import io.edgeloop.contracts.RunPhase;
import ai.onnxruntime.OrtException;
import io.edgeloop.contracts.ModelSignature;
import io.edgeloop.storage.ArtifactStore;
import io.edgeloop.training.compute.Execution;
import io.edgeloop.training.compute.ExecutionResult;
import io.edgeloop.training.dataset.DatasetFiles;
import io.edgeloop.training.config.TrainingProperties;
import io.edgeloop.training.run.RunFailure;
import io.edgeloop.training.secret.RunSecrets;
import io.edgeloop.training.secret.ScriptEnv;
import io.edgeloop.training.secret.SecretMask;
import io.edgeloop.training.snapshot.ProjectRoots;
import io.edgeloop.training.snapshot.ProjectSnapshot;
import io.edgeloop.training.snapshot.SnapshotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs the user's code, like an Azure ML run configuration. Settings:
 * <ul>
 *   <li>{@code project}: a folder (or a {@code .zip}) on the service host, or {@code snapshot}: the id
 *       of a snapshot uploaded through {@code POST /api/snapshots};
 *   <li>{@code command}: the shell command ({@code python3 train.py --epochs 5});
 *   <li>{@code image}: the Docker image of the environment; absent = the host;
 *   <li>{@code dataFormat}: {@code parquet} (default, files as stored) or {@code csv} (converted for scripts without a Parquet library);
 *   <li>{@code primaryMetric} (default rmse), {@code task} (default regression), {@code env} (extra variables,
 *       plain or secret: {@link ScriptEnv}).
 * </ul>
 * The script finds its data under {@code $EDGELOOP_DATA/<dataset>/v<version>/}, writes files to
 * {@code outputs/} (kept as run artifacts), metrics to {@code outputs/metrics.jsonl} (or POSTs them to
 * the REST API with its own token, {@code $EDGELOOP_RUN_TOKEN}) and its model to {@code outputs/model.onnx}. A project folder must lie under a
 * configured root; the outputs must be plain files within a size limit; secret values are masked in
 * what the run records of the script.
 */
public class ScriptTrainer implements Trainer {
  private final ArtifactStore store;
  private final DatasetFiles datasetFiles;
  private final long maxSnapshotBytes;
  private final long maxOutputBytes;
  private final ProjectRoots projectRoots;
  private final Map<String, String> configuredSecrets;
  private final RunSecrets runSecrets;

  public ScriptTrainer(ArtifactStore store, DatasetFiles datasetFiles, TrainingProperties properties, RunSecrets runSecrets) {
    this.store = store;
    this.datasetFiles = datasetFiles;
    this.maxSnapshotBytes = properties.maxSnapshotBytes();
    this.maxOutputBytes = properties.maxOutputBytes().toBytes();
    this.projectRoots = new ProjectRoots(properties.projectRoots());
    this.configuredSecrets = properties.secrets();
    this.runSecrets = runSecrets;
  }

  @Override
  public String kind() {
    return "script";
  }

  @Override
  public PreparedRun prepare(TrainerContext ctx) throws RunFailure, IOException {
    Map<String, Object> s = ctx.settings();
    String command = string(s, "command");
    if (command == null || command.isBlank()) {
      throw new RunFailure(RunPhase.PREPARING, RunFailureReason.INVALID_SPEC, "a script run needs settings.command");
    }
    Set<String> secrets = new LinkedHashSet<>();
    Map<String, String> env = userVariables(ctx, secrets);
    env.putAll(runVariables(ctx));
    if (ctx.runToken() != null) {
      secrets.add(ctx.runToken()); // the script's own API token is masked in its logs like any secret
    }
    RunTracker tracker = new MaskingTracker(ctx.tracker(), new SecretMask(secrets));
    ProjectSnapshot snapshot = snapshot(s);
    String runId = ctx.run().id();
    store.putBytes("runs/" + runId + "/snapshot.zip", snapshot.zip());
    Path workspace = ctx.workDir().resolve("workspace");
    Path data = ctx.workDir().resolve("data");
    try {
      snapshot.extractTo(workspace);
    } catch (SnapshotException e) {
      throw new RunFailure(RunPhase.PREPARING, e.reason(), e.getMessage());
    }
    Path outputs = Files.createDirectories(workspace.resolve("outputs"));
    Path outputsRealPath = outputs.toRealPath();
    datasetFiles.fetch(ctx.datasets(), data, "csv".equals(string(s, "dataFormat")));
    String image = string(s, "image");
    Execution execution = new Execution(runId, ctx.run().attempt(), command, workspace, data, image, env);
    Map<String, String> params = new LinkedHashMap<>();
    params.put("command", command);
    params.put("environment", image == null ? "host" : image);
    params.put("snapshot.files", String.valueOf(snapshot.files()));
    params.put("snapshot.bytes", String.valueOf(snapshot.bytes()));
    tracker.params(params);
    return new PreparedRun() {
      @Override
      public String codeHash() {
        return snapshot.hash();
      }

      @Override
      public TrainerResult execute() throws RunFailure, InterruptedException {
        return run(ctx, tracker, execution, outputs, outputsRealPath);
      }
    };
  }

  /**
   * The run's own variables, set after (over) the user's. The one place they are assembled: a
   * variable every script run gets (a run token, say) is added here.
   */
  private static Map<String, String> runVariables(TrainerContext ctx) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("EDGELOOP_RUN_ID", ctx.run().id());
    env.put("EDGELOOP_RUN_TOKEN", ctx.runToken());
    env.put("EDGELOOP_SEED", String.valueOf(ctx.run().seed()));
    env.put("EDGELOOP_DATASETS", ctx.datasets().stream().map(d -> d.dataset() + "/v" + d.version()).collect(Collectors.joining(",")));
    return env;
  }

  /** {@code settings.env} with secret references and sealed values resolved; every secret value is added to {@code secrets}. */
  private Map<String, String> userVariables(TrainerContext ctx, Set<String> secrets) throws RunFailure {
    List<ScriptEnv.Entry> entries;
    try {
      entries = ScriptEnv.parse(ctx.settings().get(ScriptEnv.KEY));
    } catch (IllegalArgumentException e) {
      throw new RunFailure(RunPhase.PREPARING, RunFailureReason.INVALID_SPEC, e.getMessage());
    }
    Map<String, String> sealed = null;
    Map<String, String> env = new LinkedHashMap<>();
    for (ScriptEnv.Entry e : entries) {
      String value = e.value();
      if (e.secretRef() != null) {
        value = configuredSecrets.get(e.secretRef());
        if (value == null) {
          throw new RunFailure(RunPhase.PREPARING, RunFailureReason.INVALID_SPEC, "settings.env: " + e.name() + " refers to secret '"
              + e.secretRef() + "', which is not configured (edgeloop.training.secrets." + e.secretRef() + ")");
        }
      } else if (e.redacted()) {
        try {
          sealed = sealed == null ? runSecrets.values(ctx.run().id()) : sealed;
        } catch (RunSecrets.SecretUnavailableException unavailable) {
          throw new RunFailure(RunPhase.PREPARING, RunFailureReason.INVALID_SPEC, unavailable.getMessage());
        }
        value = sealed.get(e.name());
        if (value == null) {
          throw new RunFailure(RunPhase.PREPARING, RunFailureReason.INVALID_SPEC, "settings.env: the secret value of " + e.name()
              + " was not given with this run's request");
        }
      }
      if (e.secret()) {
        secrets.add(value);
      }
      env.put(e.name(), value);
    }
    return env;
  }

  private TrainerResult run(TrainerContext ctx, RunTracker tracker, Execution execution, Path outputs, Path outputsRealPath)
      throws RunFailure, InterruptedException {
    ExecutionResult result;
    try {
      result = ctx.compute().execute(execution, tracker, ctx.timeout(), ctx.canceled());
    } catch (IOException e) {
      throw new RunFailure(RunPhase.RUNNING, RunFailureReason.COMPUTE_UNAVAILABLE, e.getMessage(), e);
    }
    tracker.environment(result.environment());
    switch (result.outcome()) {
      case CANCELED -> throw new RunFailure(RunPhase.RUNNING, RunFailureReason.CANCELED, "run canceled");
      case TIMED_OUT -> throw new RunFailure(RunPhase.RUNNING, RunFailureReason.TIMEOUT, "run exceeded its time limit of " + ctx.timeout().toSeconds() + " s and was stopped");
      case EXITED -> {
        if (result.exitCode() != 0) {
          throw new RunFailure(RunPhase.RUNNING, RunFailureReason.EXIT_CODE, "script exited with code " + result.exitCode());
        }
      }
    }
    RunOutputs.check(outputs, outputsRealPath, maxOutputBytes);
    List<String> problems = new ArrayList<>();
    try {
      for (MetricsFile.Entry e : MetricsFile.read(outputs.resolve(MetricsFile.NAME), problems)) {
        tracker.metric(e.key(), e.value(), e.step());
      }
    } catch (IOException e) {
      problems.add("cannot read " + MetricsFile.NAME + ": " + e.getMessage());
    }
    problems.forEach(p -> tracker.line("system", p));
    Path onnx = outputs.resolve("model.onnx");
    ModelSignature signature;
    try {
      signature = OnnxSignatures.read(Files.readAllBytes(onnx));
    } catch (NoSuchFileException e) {
      throw new RunFailure(RunPhase.EXPORTING, RunFailureReason.NO_MODEL, "the script wrote no outputs/model.onnx");
    } catch (IOException | OrtException e) {
      throw new RunFailure(RunPhase.EXPORTING, RunFailureReason.INVALID_MODEL, "outputs/model.onnx is not a loadable ONNX model: " + e.getMessage(), e);
    }
    String primary = string(ctx.settings(), "primaryMetric");
    String task = string(ctx.settings(), "task");
    return new TrainerResult(
        onnx, signature, Map.of(), primary == null ? "rmse" : primary, task == null ? "regression" : task, null, outputs);
  }

  private ProjectSnapshot snapshot(Map<String, Object> s) throws RunFailure, IOException {
    String uploaded = string(s, "snapshot");
    String project = string(s, "project");
    try {
      if (uploaded != null) {
        if (!uploaded.matches("[0-9a-f]{64}")) {
          throw new RunFailure(RunPhase.PREPARING, RunFailureReason.INVALID_SPEC, "settings.snapshot must be a snapshot id from POST /api/snapshots");
        }
        try {
          return ProjectSnapshot.ofArchive(store.readBytes("snapshots/" + uploaded + ".zip"), maxSnapshotBytes);
        } catch (NoSuchFileException e) {
          throw new RunFailure(RunPhase.PREPARING, RunFailureReason.INVALID_SPEC, "no uploaded snapshot " + uploaded);
        }
      }
      if (project == null) {
        throw new RunFailure(RunPhase.PREPARING, RunFailureReason.INVALID_SPEC, "a script run needs settings.project or settings.snapshot");
      }
      Path path = projectRoots.check(project);
      if (Files.isRegularFile(path) && path.toString().endsWith(".zip")) {
        if (Files.size(path) > maxSnapshotBytes) {
          throw new RunFailure(RunPhase.PREPARING, RunFailureReason.SNAPSHOT_TOO_LARGE, "project archive exceeds " + maxSnapshotBytes + " bytes");
        }
        return ProjectSnapshot.ofArchive(Files.readAllBytes(path), maxSnapshotBytes);
      }
      return ProjectSnapshot.of(path, maxSnapshotBytes);
    } catch (SnapshotException e) {
      throw new RunFailure(RunPhase.PREPARING, e.reason(), e.getMessage());
    }
  }

  private static String string(Map<String, Object> s, String key) {
    Object v = s.get(key);
    return v == null ? null : String.valueOf(v);
  }
}
