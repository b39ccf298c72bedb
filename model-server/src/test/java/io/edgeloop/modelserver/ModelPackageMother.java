package io.edgeloop.modelserver;

import io.edgeloop.contracts.ColumnSpec;
import io.edgeloop.contracts.ModelSignature;
import io.edgeloop.contracts.TensorSpec;
import io.edgeloop.modelpackage.FeatureSpec;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.modelpackage.ModelPackages;
import io.edgeloop.modelpackage.RollingFeature;
import io.edgeloop.modelpackage.Task;
import io.edgeloop.modelpackage.WindowStat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Model packages for tests, written with {@link ModelPackages#write} like training writes them. */
final class ModelPackageMother {

  static final float[] WEIGHTS = {0.5f, -1.25f, 2.0f, 0.125f};
  static final float BIAS = 3.0f;

  /** Weights of the preprocessed model, one per feature of {@link #featureSpec()}. */
  static final float[] PRE_WEIGHTS = {1f, -0.5f, 0.25f, 2f, -3f, 0.75f};
  static final float PRE_BIAS = -1f;

  private ModelPackageMother() {}

  /** Model {@code rul} version 3: the linear graph of {@link #WEIGHTS}, no preprocessing. */
  static Path linear(Path dir) {
    ModelSignature signature = new ModelSignature(
        List.of(new TensorSpec("features", "FP32", List.of(-1L, (long) WEIGHTS.length))),
        List.of(new TensorSpec("variable", "FP32", List.of(-1L, 1L))));
    return write(dir, manifest("rul", 3, signature, null), OnnxGraphs.linear(WEIGHTS, BIAS, false));
  }

  /** Model {@code sums} version 1: column sums over the batch ({@link OnnxGraphs#columnSums}), not row-wise. */
  static Path columnSums(Path dir) {
    return write(dir, manifest("sums", 1, null, null), OnnxGraphs.columnSums(WEIGHTS.length));
  }

  /** Model {@code rul-echo} version 1: the linear graph of {@link #WEIGHTS} with a second output {@code echo}. */
  static Path linearWithEcho(Path dir) {
    return write(dir, manifest("rul-echo", 1, null, null), OnnxGraphs.linear(WEIGHTS, BIAS, true));
  }

  /** Model {@code typed} version 1: one Identity per OIP type (see {@link OnnxGraphs#identities()}). */
  static Path typed(Path dir) {
    return write(dir, manifest("typed", 1, null, null), OnnxGraphs.identities());
  }

  /**
   * Model {@code engine-rul} version 7 with preprocessing {@link #featureSpec()} in front of a linear
   * graph of {@link #PRE_WEIGHTS} that also echoes its features (output {@code echo}).
   */
  static Path preprocessed(Path dir) {
    return write(dir, manifest("engine-rul", 7, null, featureSpec()),
        OnnxGraphs.linear(PRE_WEIGHTS, PRE_BIAS, true));
  }

  /** Raw columns unit, cycle, s1, s2; rolling mean/std/slope of s1 over 3 rows and max of s2 over 2. */
  static FeatureSpec featureSpec() {
    return new FeatureSpec(
        List.of(new ColumnSpec("unit", "int64"), new ColumnSpec("cycle", "int64"),
            new ColumnSpec("s1", "float64"), new ColumnSpec("s2", "float64")),
        "unit", "cycle",
        List.of(new RollingFeature("s1", List.of(3), List.of(WindowStat.MEAN, WindowStat.STD, WindowStat.SLOPE)),
            new RollingFeature("s2", List.of(2), List.of(WindowStat.MAX))),
        List.of("s1", "s2", "s1_mean_3", "s1_std_3", "s1_slope_3", "s2_max_2"),
        100);
  }

  private static ModelManifest manifest(String name, int version, ModelSignature signature, FeatureSpec pre) {
    return new ModelManifest(name, version, Task.REGRESSION, null, null, signature, pre, null, null, null, null);
  }

  private static Path write(Path dir, ModelManifest manifest, byte[] onnx) {
    try {
      ModelPackages.write(dir, manifest, onnx);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
