package io.edgeloop.training.registry;

import io.edgeloop.contracts.Lineage;
import io.edgeloop.contracts.ModelSignature;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A registered model version with its lineage, ONNX artifact and the aliases pointing at it. */
public record ModelVersion(
    String name,
    int version,
    String runId,
    String description,
    Map<String, String> tags,
    Map<String, String> properties,
    Map<String, Double> metrics,
    String primaryMetric,
    String onnxUri,
    String onnxSha256,
    String packageUri,
    ModelSignature signature,
    Lineage lineage,
    boolean promoted,
    List<String> aliases,
    Instant createdAt) {}
