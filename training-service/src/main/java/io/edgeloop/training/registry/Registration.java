package io.edgeloop.training.registry;

import io.edgeloop.contracts.Lineage;
import io.edgeloop.contracts.ModelSignature;
import java.util.Map;

/** A model to register from a run: where its ONNX file and package are, and what it scored. */
public record Registration(
    String modelName,
    String runId,
    String experiment,
    String description,
    Map<String, String> tags,
    Map<String, String> properties,
    Map<String, Double> metrics,
    String primaryMetric,
    String onnxUri,
    String onnxSha256,
    String packageUri,
    ModelSignature signature,
    Lineage lineage) {}
