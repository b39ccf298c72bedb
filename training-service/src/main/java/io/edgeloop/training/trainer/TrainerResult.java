package io.edgeloop.training.trainer;

import io.edgeloop.contracts.ModelSignature;
import io.edgeloop.modelpackage.ModelManifest;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a successful run produced: the ONNX file and its signature, the final metrics and which one
 * is primary, the task, a full model package manifest when the trainer makes one (AutoML; null for
 * scripts), and a folder of artifacts to keep with the run (may be null).
 */
public record TrainerResult(
    Path onnxFile,
    ModelSignature signature,
    Map<String, Double> metrics,
    String primaryMetric,
    String task,
    ModelManifest manifest,
    Path artifactsDir) {
  public TrainerResult {
    metrics = Map.copyOf(metrics);
  }
}
