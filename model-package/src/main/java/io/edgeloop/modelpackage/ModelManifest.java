package io.edgeloop.modelpackage;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.edgeloop.contracts.ModelSignature;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The manifest of a model package ({@code edgeloop-model.json}).
 *
 * @param name model name
 * @param version registry version, 0 until registered
 * @param task regression, binary or multiclass
 * @param classLabels class labels in output order (classification only, else empty)
 * @param onnxSha256 hex SHA-256 of {@code model.onnx}
 * @param signature inputs and outputs of the ONNX graph itself
 * @param preprocessing how raw rows become the {@code features} input; null = clients send the
 *     features tensor directly
 * @param metrics validation metrics of the packaged model
 * @param primaryMetric the metric the search optimised
 * @param provenance what the model was made from
 * @param samples raw rows recorded at training time and the model's outputs for them; may be null
 * @param training the fitted configuration, for refitting it on new data; null when the trainer
 *     cannot refit it (a user's script)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelManifest(
    String name,
    int version,
    Task task,
    List<String> classLabels,
    String onnxSha256,
    ModelSignature signature,
    FeatureSpec preprocessing,
    Map<String, Double> metrics,
    String primaryMetric,
    Provenance provenance,
    Samples samples,
    TrainedPipeline training) {

  public ModelManifest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(task, "task");
    classLabels = classLabels == null ? List.of() : List.copyOf(classLabels);
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
  }

  /** A manifest without a refittable configuration (a model made by a user's script). */
  public ModelManifest(String name, int version, Task task, List<String> classLabels, String onnxSha256,
      ModelSignature signature, FeatureSpec preprocessing, Map<String, Double> metrics, String primaryMetric,
      Provenance provenance, Samples samples) {
    this(name, version, task, classLabels, onnxSha256, signature, preprocessing, metrics, primaryMetric,
        provenance, samples, null);
  }

  /** This manifest with another registry version. */
  public ModelManifest withVersion(int newVersion) {
    return new ModelManifest(name, newVersion, task, classLabels, onnxSha256, signature,
        preprocessing, metrics, primaryMetric, provenance, samples, training);
  }

  /** This manifest with another ONNX hash (set by {@link ModelPackages#write}). */
  public ModelManifest withOnnxSha256(String sha256) {
    return new ModelManifest(name, version, task, classLabels, sha256, signature,
        preprocessing, metrics, primaryMetric, provenance, samples, training);
  }
}
