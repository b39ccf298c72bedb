package io.edgeloop.automl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.spec.ExperimentSpec;
import io.edgeloop.automl.spec.ExperimentSpecs;
import io.edgeloop.contracts.DatasetRef;
import io.edgeloop.modelpackage.FeaturePipeline;
import io.edgeloop.modelpackage.GroupState;
import io.edgeloop.modelpackage.ModelPackages;
import java.nio.file.Files;
import java.nio.file.Path;
import io.edgeloop.modelpackage.TrainedPipeline;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  static final String ENSEMBLE_SPEC = """
      name: engines
      task: regression
      target: rul
      derivedTarget: {type: rul, cap: 50}
      regimes: {settings: [alt, mach]}
      timeSeries:
        groupKey: unit
        orderColumn: cycle
        baselineRows: 5
        rolling: [{columns: [s1, s2], windows: [3, 10], stats: [mean, drift]}]
      maxTrials: 6
      ensemble: 3
      families: [xgboost, random_forest]
      seed: 3
      """;

  /**
   * Same seed, data and spec give the same bytes, whether the trials run one at a time or two at a
   * time with a thread each (the budget is trials, not seconds; XGBoost's hist method does not
   * depend on the thread count).
   */
  @Test
  void shouldGiveByteIdenticalOnnxForTheSameSeedAndDataWhateverTheParallelism() throws Exception {
    Map<String, Object> one = new HashMap<>(ExperimentSpecs.toMap(ExperimentSpecs.parseYaml(ENSEMBLE_SPEC)));
    one.put("parallelism", 1);
    Map<String, Object> two = new HashMap<>(one);
    two.put("parallelism", 2);
    AutoMl.run(ExperimentSpecs.fromMap(one), TableMother.regimes(12, 3, 1), List.of(), TrialListener.none(), dir.resolve("a"));
    AutoMlResult b = AutoMl.run(ExperimentSpecs.fromMap(two), TableMother.regimes(12, 3, 1), List.of(), TrialListener.none(),
        dir.resolve("b"));

    assertThat(Files.readAllBytes(dir.resolve("a/model.onnx")))
        .isEqualTo(Files.readAllBytes(dir.resolve("b/model.onnx")));
    assertThat(b.cutByTime()).isFalse();
  }

  @Test
  void shouldAverageTheBestTrialsInOneGraphThatOnnxRuntimeReproduces() throws Exception {
    List<TrialResult> trials = new ArrayList<>();
    AutoMlResult result = AutoMl.run(ExperimentSpecs.parseYaml(ENSEMBLE_SPEC), TableMother.regimes(12, 3, 1), List.of(),
        trials::add, dir);

    TrainedPipeline training = result.manifest().training();
    assertThat(training.members().stream().mapToDouble(TrainedPipeline.Member::weight).sum()).isCloseTo(1.0, within(1e-9));
    assertThat(training.members()).allSatisfy(m -> assertThat(m.family()).isIn("xgboost", "random_forest"));
    assertThat(training.members().get(0).params()).isEqualTo(result.best().params());
    // the ensemble is chosen on the validation rows, so it is never worse there than the best trial alone
    assertThat(result.manifest().metrics().get("rmse")).isLessThanOrEqualTo(result.best().score());
    assertThat(result.parityMaxAbsDiff()).isLessThan(1e-3);
    assertThat(result.manifest().preprocessing().regimes().count()).isEqualTo(3);
  }

  @Test
  void shouldRefitTheChampionsConfigurationOnNewDataWithoutSearching() throws Exception {
    ExperimentSpec spec = ExperimentSpecs.parseYaml(ENSEMBLE_SPEC);
    AutoMlResult champion = AutoMl.run(spec, TableMother.regimes(10, 3, 1), List.of(new DatasetRef("engines", 1)),
        TrialListener.none(), dir.resolve("v1"));

    AutoMlResult refit = AutoMl.refit(spec, TableMother.regimes(20, 3, 1),
        List.of(new DatasetRef("engines", 1), new DatasetRef("engines", 2)), champion.manifest(), dir.resolve("v2"));

    assertThat(refit.manifest().training().members()).isEqualTo(champion.manifest().training().members());
    assertThat(refit.manifest().training().searchedOn()).isEqualTo("engines@1");
    assertThat(refit.manifest().preprocessing()).isEqualTo(champion.manifest().preprocessing());
    assertThat(refit.trials()).hasSize(1);
    assertThat(refit.trials().get(0).metrics()).containsKey("rmse");
    assertThat(refit.manifest().provenance().datasets()).hasSize(2);
    assertThat(Files.readAllBytes(dir.resolve("v2/model.onnx"))).isNotEqualTo(Files.readAllBytes(dir.resolve("v1/model.onnx")));
  }

  @Test
  void shouldRefuseToRefitAModelWithoutARecordedConfiguration() throws Exception {
    AutoMlResult result = AutoMl.run(ExperimentSpecs.parseYaml(SPEC), TableMother.engines(12, 1), List.of(), TrialListener.none(), dir);
    var m = result.manifest();
    var scriptLike = new io.edgeloop.modelpackage.ModelManifest(m.name(), 3, m.task(), m.classLabels(), m.onnxSha256(),
        m.signature(), m.preprocessing(), m.metrics(), m.primaryMetric(), m.provenance(), m.samples());

    assertThatThrownBy(() -> AutoMl.refit(ExperimentSpecs.parseYaml(SPEC), TableMother.engines(12, 1), List.of(), scriptLike,
        dir.resolve("refit")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be refitted");
  }

  @Test
  void shouldSayWhenAWallClockCapCutTheSearch() throws Exception {
    Map<String, Object> settings = new HashMap<>(ExperimentSpecs.toMap(ExperimentSpecs.parseYaml(SPEC)));
    settings.put("maxTrials", 40);
    settings.put("parallelism", 1);
    settings.put("timeBudgetSeconds", 0.001);

    AutoMlResult result = AutoMl.run(ExperimentSpecs.fromMap(settings), TableMother.engines(12, 1), List.of(),
        TrialListener.none(), dir);

    assertThat(result.cutByTime()).isTrue();
    assertThat(result.trials().size()).isLessThan(40);
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
