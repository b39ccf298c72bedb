package io.edgeloop.modelpackage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeloop.contracts.ColumnSpec;
import io.edgeloop.contracts.DatasetRef;
import io.edgeloop.contracts.ModelSignature;
import io.edgeloop.contracts.TensorSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPackagesTest {

  @TempDir Path dir;

  static ModelManifest manifest() {
    FeatureSpec features = new FeatureSpec(
        List.of(new ColumnSpec("unit", "int64"), new ColumnSpec("cycle", "int64"),
            new ColumnSpec("sensor_11", "float64")),
        "unit", "cycle",
        List.of(new RollingFeature("sensor_11", List.of(5, 30), List.of(WindowStat.MEAN, WindowStat.SLOPE))),
        List.of("cycle", "sensor_11", "sensor_11_mean_30"), 0);
    return new ModelManifest("rul", 0, Task.REGRESSION, null, null,
        new ModelSignature(List.of(new TensorSpec("features", "FP32", List.of(-1L, 3L))),
            List.of(new TensorSpec("variable", "FP32", List.of(-1L, 1L)))),
        features, Map.of("rmse", 14.2), "rmse",
        new Provenance(List.of(new Provenance.DatasetHash(new DatasetRef("fd001", 3), "ab12")),
            Map.of("task", "regression"), 42L, Map.of("xgboost4j", "2.1.4"), Map.of("os.arch", "amd64")),
        new Samples(List.of(Map.of("unit", 1.0, "cycle", 1.0, "sensor_11", Double.NaN)),
            List.of(List.of(112.5))));
  }

  @Test
  void shouldRoundTripRegimesAndTheTrainedPipeline() throws Exception {
    ModelManifest plain = manifest();
    FeatureSpec p = plain.preprocessing();
    OperatingRegimes regimes = new OperatingRegimes(List.of("cycle"), List.of(1.0), List.of(2.0),
        List.of(List.of(-1.0), List.of(1.0)), List.of("sensor_11"), List.of(List.of(47.0), List.of(48.0)),
        List.of(List.of(0.2), List.of(0.3)));
    FeatureSpec withRegimes = new FeatureSpec(p.rawColumns(), p.groupKey(), p.orderColumn(), p.rolling(),
        p.featureOrder(), 0, regimes, 15);
    TrainedPipeline training = new TrainedPipeline(List.of(
        new TrainedPipeline.Member("xgboost", Map.of("eta", 0.1, "max_depth", 4), 0.5),
        new TrainedPipeline.Member("random_forest", Map.of("num_parallel_tree", 40), 0.5)), 42, "fd001@1..2");
    ModelManifest full = new ModelManifest(plain.name(), 0, plain.task(), null, null, plain.signature(), withRegimes,
        plain.metrics(), plain.primaryMetric(), plain.provenance(), plain.samples(), training);

    ModelManifest written = ModelPackages.write(dir, full, new byte[] {1});
    ModelManifest read = ModelPackages.read(dir).manifest();

    assertThat(read.preprocessing()).isEqualTo(withRegimes);
    assertThat(read.preprocessing().baselineRows()).isEqualTo(15);
    assertThat(read.training().members()).extracting(TrainedPipeline.Member::family).containsExactly("xgboost", "random_forest");
    assertThat(read.training().members().get(0).params()).containsEntry("max_depth", 4);
    assertThat(read.training().searchedOn()).isEqualTo("fd001@1..2");
    assertThat(read.training()).isEqualTo(written.training());
    assertThat(plain.preprocessing().regimes()).isNull();
    assertThat(plain.preprocessing().baselineRows()).isEqualTo(FeatureSpec.DEFAULT_BASELINE_ROWS);
  }

  @Test
  void shouldRoundTripAManifestAndStampTheOnnxHash() throws Exception {
    byte[] onnx = {1, 2, 3};
    ModelManifest written = ModelPackages.write(dir, manifest(), onnx);

    ModelPackages.ModelPackage read = ModelPackages.read(dir);

    assertThat(read.onnx()).containsExactly(1, 2, 3);
    assertThat(read.manifest()).isEqualTo(written);
    assertThat(written.onnxSha256()).isEqualTo(ModelPackages.sha256(onnx)).hasSize(64);
    assertThat(read.manifest().preprocessing().maxGroups()).isEqualTo(FeatureSpec.DEFAULT_MAX_GROUPS);
    assertThat(read.manifest().samples().rows().get(0).get("sensor_11")).isNaN();
    assertThat(new String(Files.readAllBytes(dir.resolve(ModelPackages.MANIFEST_FILE)), StandardCharsets.UTF_8))
        .contains("\"task\" : \"regression\"", "\"stats\" : [ \"mean\", \"slope\" ]");
  }

  @Test
  void shouldIgnoreUnknownFields() throws Exception {
    String json = "{\"name\":\"m\",\"version\":2,\"task\":\"binary\",\"classLabels\":[\"0\",\"1\"],"
        + "\"futureField\":{\"x\":1}}";
    ModelManifest m = ModelPackages.parseManifest(json.getBytes(StandardCharsets.UTF_8));
    assertThat(m.task()).isEqualTo(Task.BINARY);
    assertThat(m.classLabels()).containsExactly("0", "1");
  }

  @Test
  void shouldRefuseAnOnnxFileThatDoesNotMatchItsHash() throws Exception {
    ModelPackages.write(dir, manifest(), new byte[] {1, 2, 3});
    Files.write(dir.resolve(ModelPackages.ONNX_FILE), new byte[] {9});
    assertThatThrownBy(() -> ModelPackages.read(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sha256");
  }
}
