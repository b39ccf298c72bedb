package io.edgeloop.packaging;

import io.edgeloop.contracts.ColumnSpec;
import io.edgeloop.contracts.DatasetRef;
import io.edgeloop.contracts.Lineage;
import io.edgeloop.contracts.ModelSignature;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.contracts.TensorSpec;
import io.edgeloop.modelpackage.FeatureSpec;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.modelpackage.ModelPackages;
import io.edgeloop.modelpackage.Samples;
import io.edgeloop.modelpackage.Task;
import io.edgeloop.modelserver.OnnxGraphs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Model packages for tests: a linear regression on two raw columns ({@code a}, {@code b}) with
 * recorded samples whose expected outputs are computed here, as training would record them.
 */
public final class ModelPackageMother {
  public static final Instant TRAINED_AT = Instant.parse("2026-11-22T12:00:00Z");

  private ModelPackageMother() {}

  /** A valid package of {@code y = w0 a + w1 b + bias}. */
  public static ModelManifest linear(Path dir, String name, int version, float w0, float w1, float bias) throws IOException {
    List<Map<String, Double>> rows = new ArrayList<>();
    List<List<Double>> expected = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      double a = 1.5 * i - 3;
      double b = 10.0 / (i + 1);
      rows.add(Map.of("a", a, "b", b));
      expected.add(List.of((double) ((float) a * w0 + (float) b * w1 + bias)));
    }
    return ModelPackages.write(dir, manifest(name, version, new Samples(rows, expected)),
        OnnxGraphs.linear(new float[] {w0, w1}, bias, false));
  }

  /** A package whose {@code model.onnx} is not an ONNX graph (its hash still matches the manifest). */
  public static ModelManifest corrupt(Path dir, String name, int version) throws IOException {
    return ModelPackages.write(dir, manifest(name, version, new Samples(List.of(Map.of("a", 1.0, "b", 2.0)),
        List.of(List.of(3.0)))), "this is not an ONNX graph".getBytes(StandardCharsets.UTF_8));
  }

  /** The event training publishes for the package in {@code dir}. */
  public static ModelTrained trained(ModelManifest manifest, Path dir, boolean promoted) {
    return trained(manifest, dir, promoted, manifest.version());
  }

  /** As training publishes it: the registry numbers the version ({@code version}) after the package was written. */
  public static ModelTrained trained(ModelManifest manifest, Path dir, boolean promoted, int version) {
    return new ModelTrained(manifest.name(), version, "run-" + version, manifest.name(),
        "rmse", Map.of("rmse", 1.0), dir.resolve(ModelPackages.ONNX_FILE).toUri().toString(), manifest.onnxSha256(),
        dir.toUri().toString(), manifest.signature(),
        new Lineage("run-" + version, List.of(new DatasetRef("toy", 3)), "c0de".repeat(16)),
        Map.of(), promoted, TRAINED_AT);
  }

  private static ModelManifest manifest(String name, int version, Samples samples) {
    ModelSignature signature = new ModelSignature(
        List.of(new TensorSpec("features", "FP32", List.of(-1L, 2L))),
        List.of(new TensorSpec("variable", "FP32", List.of(-1L, 1L))));
    FeatureSpec features = new FeatureSpec(List.of(new ColumnSpec("a", "float64"), new ColumnSpec("b", "float64")),
        null, null, List.of(), List.of("a", "b"), 0);
    return new ModelManifest(name, version, Task.REGRESSION, List.of(), null, signature, features,
        Map.of("rmse", 1.0), "rmse", null, samples);
  }
}
