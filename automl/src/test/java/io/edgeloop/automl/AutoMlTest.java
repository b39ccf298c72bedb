package io.edgeloop.automl;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.spec.ExperimentSpec;
import io.edgeloop.automl.spec.ExperimentSpecs;
import io.edgeloop.contracts.DatasetRef;
import io.edgeloop.modelpackage.FeaturePipeline;
import io.edgeloop.modelpackage.GroupState;
import io.edgeloop.modelpackage.ModelPackages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoMlTest {

  @TempDir Path dir;

  static final String SPEC = """
      name: engines
      task: regression
      target: rul
      derivedTarget: {type: rul, cap: 50}
      features: [cycle, s1, s2, s3]
      timeSeries:
        groupKey: unit
        orderColumn: cycle
        rolling: [{windows: [3, 10], stats: [mean, std, slope, min, max]}]
      maxTrials: 6
      timeBudgetSeconds: 600
      families: [xgboost, random_forest, linear]
      seed: 7
      """;

  @Test
  void shouldWriteAPackageWithTrialsSignatureAndProvenance() throws Exception {
    Table table = TableMother.engines(12, 1);
    List<TrialResult> heard = new ArrayList<>();

    AutoMlResult result = AutoMl.run(ExperimentSpecs.parseYaml(SPEC), table,
        List.of(new DatasetRef("engines", 3)), heard::add, dir);

    assertThat(heard).extracting(TrialResult::index).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(heard).extracting(TrialResult::family).contains("xgboost", "random_forest", "linear");
    assertThat(heard).allSatisfy(t -> assertThat(t.metrics()).containsKeys("rmse", "mae", "r2", "spearman"));
    var manifest = ModelPackages.read(dir).manifest();
    // the spec map travels as JSON, so compare the typed parts
    assertThat(manifest.onnxSha256()).isEqualTo(result.manifest().onnxSha256());
    assertThat(manifest.preprocessing()).isEqualTo(result.manifest().preprocessing());
    assertThat(manifest.provenance().spec()).containsEntry("task", "regression").containsKey("timeSeries");
    assertThat(manifest.preprocessing().featureOrder()).doesNotContain("s3", "s3_mean_3")
        .contains("cycle", "s1", "s1_slope_10");
    assertThat(manifest.signature().inputs().get(0).shape())
        .containsExactly(-1L, (long) manifest.preprocessing().featureOrder().size());
    assertThat(manifest.provenance().datasets().get(0).dataset()).isEqualTo(new DatasetRef("engines", 3));
    assertThat(manifest.provenance().datasets().get(0).sha256()).isEqualTo(table.sha256());
    assertThat(manifest.provenance().seed()).isEqualTo(7L);
    assertThat(manifest.provenance().libraries()).containsEntry("onnxruntime", "1.28.0").containsKey("xgboost4j");
    assertThat(manifest.provenance().platform()).containsKeys("os.arch", "java.version");
    assertThat(manifest.metrics()).containsKeys("rmse", "parity_max_abs_diff");
    assertThat(result.parityMaxAbsDiff()).isLessThan(1e-3);
    assertThat(manifest.samples().rows()).hasSize(50);
  }

  @Test
  void shouldGiveByteIdenticalOnnxForTheSameSeedAndData() throws Exception {
    ExperimentSpec spec = ExperimentSpecs.parseYaml(SPEC);
    AutoMl.run(spec, TableMother.engines(12, 1), List.of(), TrialListener.none(), dir.resolve("a"));
    AutoMl.run(spec, TableMother.engines(12, 1), List.of(), TrialListener.none(), dir.resolve("b"));

    assertThat(Files.readAllBytes(dir.resolve("a/model.onnx")))
        .isEqualTo(Files.readAllBytes(dir.resolve("b/model.onnx")));
  }

  @Test
  void samplesShouldReplayThroughThePipelineAndOnnxRuntime() throws Exception {
    AutoMl.run(ExperimentSpecs.parseYaml(SPEC), TableMother.engines(12, 1), List.of(), TrialListener.none(), dir);
    var pkg = ModelPackages.read(dir);
    FeaturePipeline pipeline = new FeaturePipeline(pkg.manifest().preprocessing());
    GroupState state = pipeline.newState();
    float[][] x = pkg.manifest().samples().rows().stream().map(r -> pipeline.next(state, r)).toArray(float[][]::new);
    try (var scorer = new io.edgeloop.automl.onnx.OnnxScorer(pkg.onnx())) {
      double[][] out = scorer.score(x);
      for (int i = 0; i < x.length; i++) {
        assertThat(out[i][0]).isEqualTo(pkg.manifest().samples().expected().get(i).get(0));
      }
    }
  }
}
