package io.edgeloop.training.trainer;

import io.edgeloop.contracts.RunFailureReason;
import io.edgeloop.contracts.RunPhase;
import ai.onnxruntime.OrtException;
import io.edgeloop.contracts.ModelSignature;
import io.edgeloop.storage.ArtifactStore;
import io.edgeloop.training.compute.Execution;
import io.edgeloop.training.compute.ExecutionResult;
import io.edgeloop.training.dataset.DatasetFiles;
import io.edgeloop.training.run.RunFailure;
import io.edgeloop.training.snapshot.ProjectSnapshot;
import io.edgeloop.training.snapshot.SnapshotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs the user's code, like an Azure ML run configuration. Settings:
 * <ul>
 *   <li>{@code project}: a folder (or a {@code .zip}) on the service host, or {@code snapshot}: the id
 *       of a snapshot uploaded through {@code POST /api/snapshots};
 *   <li>{@code command}: the shell command ({@code python3 train.py --epochs 5});
 *   <li>{@code image}: the Docker image of the environment; absent = the host;
 *   <li>{@code dataFormat}: {@code parquet} (default, files as stored) or {@code csv} (converted for scripts without a Parquet library);
 *   <li>{@code primaryMetric} (default rmse), {@code task} (default regression), {@code env} (extra variables).
 * </ul>
 * The script finds its data under {@code $EDGELOOP_DATA/<dataset>/v<version>/}, writes files to
 * {@code outputs/} (kept as run artifacts), metrics to {@code outputs/metrics.jsonl} (or POSTs them to
 * the REST API with its own token, {@code $EDGELOOP_RUN_TOKEN}) and its model to {@code outputs/model.onnx}.
 */
public class ScriptTrainer implements Trainer {
  private final ArtifactStore store;
  private final DatasetFiles datasetFiles;
  private final long maxSnapshotBytes;

  public ScriptTrainer(ArtifactStore store, DatasetFiles datasetFiles, long maxSnapshotBytes) {
    this.store = store;
    this.datasetFiles = datasetFiles;
    this.maxSnapshotBytes = maxSnapshotBytes;
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
    Files.createDirectories(workspace.resolve("outputs"));
    datasetFiles.fetch(ctx.datasets(), data, "csv".equals(string(s, "dataFormat")));
    Map<String, String> env = new LinkedHashMap<>();
    if (s.get("env") instanceof Map<?, ?> extra) {
      extra.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
    }
    env.put("EDGELOOP_RUN_ID", runId);
    env.put("EDGELOOP_RUN_TOKEN", ctx.runToken());
    env.put("EDGELOOP_SEED", String.valueOf(ctx.run().seed()));
    env.put("EDGELOOP_DATASETS", ctx.datasets().stream().map(d -> d.dataset() + "/v" + d.version()).collect(Collectors.joining(",")));
    String image = string(s, "image");
    Execution execution = new Execution(runId, command, workspace, data, image, env);
    Map<String, String> params = new LinkedHashMap<>();
    params.put("command", command);
    params.put("environment", image == null ? "host" : image);
    params.put("snapshot.files", String.valueOf(snapshot.files()));
    params.put("snapshot.bytes", String.valueOf(snapshot.bytes()));
    ctx.tracker().params(params);
    return new PreparedRun() {
      @Override
      public String codeHash() {
        return snapshot.hash();
      }

      @Override
      public TrainerResult execute() throws RunFailure, InterruptedException {
        return run(ctx, execution, workspace.resolve("outputs"));
      }
    };
  }

  private TrainerResult run(TrainerContext ctx, Execution execution, Path outputs) throws RunFailure, InterruptedException {
    ExecutionResult result;
    try {
      result = ctx.compute().execute(execution, ctx.tracker(), ctx.timeout(), ctx.canceled());
    } catch (IOException e) {
      throw new RunFailure(RunPhase.RUNNING, RunFailureReason.COMPUTE_UNAVAILABLE, e.getMessage(), e);
    }
    ctx.tracker().environment(result.environment());
    switch (result.outcome()) {
      case CANCELED -> throw new RunFailure(RunPhase.RUNNING, RunFailureReason.CANCELED, "run canceled");
      case TIMED_OUT -> throw new RunFailure(RunPhase.RUNNING, RunFailureReason.TIMEOUT, "run exceeded its time limit of " + ctx.timeout().toSeconds() + " s and was stopped");
      case EXITED -> {
        if (result.exitCode() != 0) {
          throw new RunFailure(RunPhase.RUNNING, RunFailureReason.EXIT_CODE, "script exited with code " + result.exitCode());
        }
      }
    }
    List<String> problems = new ArrayList<>();
    try {
      for (MetricsFile.Entry e : MetricsFile.read(outputs.resolve(MetricsFile.NAME), problems)) {
        ctx.tracker().metric(e.key(), e.value(), e.step());
      }
    } catch (IOException e) {
      problems.add("cannot read " + MetricsFile.NAME + ": " + e.getMessage());
    }
    problems.forEach(p -> ctx.tracker().line("system", p));
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
      Path path = Path.of(project);
      if (Files.isRegularFile(path) && project.endsWith(".zip")) {
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
