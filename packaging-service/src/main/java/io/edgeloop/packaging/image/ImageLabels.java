package io.edgeloop.packaging.image;

import io.edgeloop.contracts.DatasetRef;
import io.edgeloop.contracts.ModelTrained;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The labels of a serving image: OCI's standard annotations plus edgeloop's model metadata. */
public final class ImageLabels {
  public static final String MODEL_NAME = "io.edgeloop.model.name";
  public static final String MODEL_VERSION = "io.edgeloop.model.version";
  public static final String RUN_ID = "io.edgeloop.model.run-id";
  public static final String DATASET_VERSIONS = "io.edgeloop.model.dataset-versions";
  public static final String ONNX_SHA256 = "io.edgeloop.model.onnx-sha256";

  private ImageLabels() {}

  /**
   * Labels for the image of {@code model}. {@code created} is the model's training time (not the
   * build time), so rebuilding the same version gives the same image.
   */
  public static Map<String, String> of(ModelTrained model, String sourceUrl) {
    Map<String, String> labels = new TreeMap<>();
    labels.put("org.opencontainers.image.title", model.modelName());
    labels.put("org.opencontainers.image.version", Integer.toString(model.modelVersion()));
    labels.put("org.opencontainers.image.created", model.trainedAt().toString());
    labels.put("org.opencontainers.image.description",
        "edgeloop model server (Open Inference Protocol v2) for " + model.modelName() + " version " + model.modelVersion());
    String revision = model.lineage() != null && model.lineage().codeHash() != null
        ? model.lineage().codeHash() : model.runId();
    labels.put("org.opencontainers.image.revision", revision);
    if (sourceUrl != null && !sourceUrl.isBlank()) {
      labels.put("org.opencontainers.image.source", sourceUrl);
    }
    labels.put(MODEL_NAME, model.modelName());
    labels.put(MODEL_VERSION, Integer.toString(model.modelVersion()));
    labels.put(RUN_ID, model.runId());
    labels.put(DATASET_VERSIONS, model.lineage() == null ? ""
        : model.lineage().datasets().stream().map(DatasetRef::toString).collect(Collectors.joining(",")));
    labels.put(ONNX_SHA256, model.onnxSha256());
    return labels;
  }

  /**
   * The model image's own environment: the registry's version for the server to serve
   * ({@code EDGELOOP_MODEL_VERSION}; the package's manifest is written before the registry numbers it).
   */
  public static Map<String, String> environment(ModelTrained model) {
    return Map.of("EDGELOOP_MODEL_VERSION", Integer.toString(model.modelVersion()));
  }

  /** {@code <registry>/<prefix>/<model>:<version>}. */
  public static String reference(String registry, String repositoryPrefix, ModelTrained model) {
    String prefix = repositoryPrefix.replaceAll("^/+|/+$", "");
    return registry + "/" + (prefix.isEmpty() ? "" : prefix + "/") + model.modelName().toLowerCase(java.util.Locale.ROOT) + ":" + model.modelVersion();
  }
}
