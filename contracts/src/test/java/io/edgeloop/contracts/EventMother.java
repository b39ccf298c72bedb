package io.edgeloop.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One valid instance of every event type, for tests across modules. */
public final class EventMother {
  public static final Instant AT = Instant.parse("2026-11-22T10:15:30Z");
  public static final String SHA = "a".repeat(64);

  public static DataLanded dataLanded() {
    return new DataLanded(
        "turbofan", 3, List.of("file:///data/datasets/turbofan/v3/data.parquet"), "parquet",
        List.of(new ColumnSpec("unit", "int64"), new ColumnSpec("sensor_2", "float64")),
        20631, 1_234_567, SHA, new DataSource("share", "/mnt/edge/turbofan", "train_FD001.txt"), AT);
  }

  public static DataRejected dataRejected() {
    return new DataRejected(
        "turbofan", new DataSource("share", "/mnt/edge/turbofan", "broken.csv"), RejectionReason.RAGGED_ROWS,
        "line 7 has 25 fields, expected 26", "file:///data/quarantine/turbofan/broken.csv", AT);
  }

  public static RunRequested runRequested() {
    return new RunRequested(
        "run-42", "turbofan-rul", RunTrigger.DATA, List.of(new DatasetRef("turbofan", 3)),
        new TrainingSpec("automl", Map.of("target", "rul", "timeBudgetSeconds", 120)), "local", AT);
  }

  public static RunFailed runFailed() {
    return new RunFailed("run-42", "turbofan-rul", RunPhase.RUNNING, RunFailureReason.EXIT_CODE, "exit code 2", AT);
  }

  public static ModelTrained modelTrained() {
    ModelSignature signature =
        new ModelSignature(
            List.of(new TensorSpec("features", "FP32", List.of(-1L, 24L))),
            List.of(new TensorSpec("rul", "FP32", List.of(-1L, 1L))));
    return new ModelTrained(
        "turbofan-rul", 2, "run-42", "turbofan-rul", "rmse", Map.of("rmse", 14.2, "mae", 10.1),
        "file:///data/models/turbofan-rul/2/model.onnx", SHA, "file:///data/models/turbofan-rul/2/",
        signature, new Lineage("run-42", List.of(new DatasetRef("turbofan", 3)), "b".repeat(64)),
        Map.of("family", "xgboost"), true, AT);
  }

  public static ImagePushed imagePushed() {
    return new ImagePushed(
        "turbofan-rul", 2, "127.0.0.1:5000/edgeloop/turbofan-rul:2", "sha256:" + "c".repeat(64),
        45_000_000, Map.of("io.edgeloop.model.version", "2"), true, List.of("champion"), AT);
  }

  public static ModelPromoted modelPromoted() {
    return new ModelPromoted("turbofan-rul", ModelPromoted.CHAMPION, 2, 1, AliasChange.ASSIGNED, PromotionCause.GATE, 7, AT);
  }

  public static ImageBuildFailed imageBuildFailed() {
    return new ImageBuildFailed("turbofan-rul", 2, BuildFailureReason.REGISTRY_UNREACHABLE, "127.0.0.1:5000 refused the connection", 1, AT);
  }

  public static ModelDeployed modelDeployed() {
    return new ModelDeployed(
        "edge-1", TargetKind.DOCKER, "turbofan-rul", 2, "sha256:" + "c".repeat(64), DeploymentOutcome.DEPLOYED, 1, null, 12L, AT);
  }

  /** One of each, in {@link EventType} order. */
  public static List<EdgeloopEvent> oneOfEach() {
    return List.of(
        dataLanded(), dataRejected(), runRequested(), runFailed(), modelTrained(), modelPromoted(), imagePushed(), imageBuildFailed(),
        modelDeployed());
  }

  private EventMother() {}
}
