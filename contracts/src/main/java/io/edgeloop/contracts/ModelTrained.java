package io.edgeloop.contracts;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A model version is registered. {@code promoted} says whether it became the champion; {@code
 * packageUri} points at the model package (ONNX file, signature, preprocessing, samples).
 */
public record ModelTrained(
    String modelName,
    int modelVersion,
    String runId,
    String experiment,
    String primaryMetric,
    Map<String, Double> metrics,
    String onnxUri,
    String onnxSha256,
    String packageUri,
    ModelSignature signature,
    Lineage lineage,
    Map<String, String> tags,
    boolean promoted,
    Instant trainedAt)
    implements EdgeloopEvent {

  public ModelTrained {
    Objects.requireNonNull(modelName, "modelName");
    if (modelVersion < 1) {
      throw new IllegalArgumentException("model version must be >= 1, got " + modelVersion);
    }
    Objects.requireNonNull(runId, "runId");
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    Objects.requireNonNull(onnxUri, "onnxUri");
    Objects.requireNonNull(onnxSha256, "onnxSha256");
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    Objects.requireNonNull(trainedAt, "trainedAt");
  }

  @Override
  public String partitionKey() {
    return modelName;
  }

  @Override
  public String naturalKey() {
    return modelName + "/v" + modelVersion;
  }
}
