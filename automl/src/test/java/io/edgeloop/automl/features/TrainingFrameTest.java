package io.edgeloop.automl.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.automl.TableMother;
import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.spec.ExperimentSpecs;
import io.edgeloop.modelpackage.FeaturePipeline;
import io.edgeloop.modelpackage.GroupState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingFrameTest {

  static final String SPEC = """
      task: regression
      target: rul
      derivedTarget: {type: rul, cap: 30}
      features: [cycle, s1, s2, s3]
      timeSeries:
        groupKey: unit
        orderColumn: cycle
        rolling: [{windows: [3, 10, 25], stats: [mean, std, slope, min, max]}]
      """;

  /**
   * Training computes features in batch over the sorted table; the model server receives rows one
   * at a time, interleaved across units, each through the package's FeatureSpec. Both must agree
   * bit for bit.
   */
  @Test
  void shouldGiveIdenticalFeaturesInTrainingAndAtInference() {
    Table table = TableMother.engines(5, 3);
    TrainingFrame frame = TrainingFrame.build(ExperimentSpecs.parseYaml(SPEC), table);

    FeaturePipeline server = new FeaturePipeline(frame.featureSpec());
    GroupState state = server.newState();
    // round-robin over units, cycle by cycle, as live engines would report
    List<List<Integer>> perUnit = new ArrayList<>();
    for (int i = 0; i < frame.rows(); i++) {
      int unit = (int) frame.groups()[i] - 1;
      while (perUnit.size() <= unit) {
        perUnit.add(new ArrayList<>());
      }
      perUnit.get(unit).add(i);
    }
    int compared = 0;
    for (int step = 0; step < 100; step++) {
      for (List<Integer> rows : perUnit) {
        if (step < rows.size()) {
          int i = rows.get(step);
          Map<String, Double> raw = frame.rawRow(table, i);
          assertThat(server.next(state, raw)).as("row %d", i).containsExactly(frame.x()[i]);
          compared++;
        }
      }
    }
    assertThat(compared).isEqualTo(frame.rows());
  }

  static final String REGIME_SPEC = """
      task: regression
      target: rul
      derivedTarget: {type: rul, cap: 30}
      regimes: {settings: [alt, mach]}
      timeSeries:
        groupKey: unit
        orderColumn: cycle
        baselineRows: 5
        rolling: [{columns: [s1, s2], windows: [3, 10], stats: [mean, drift, slope]}]
      """;

  /** The same agreement with operating regimes and drifts, which the server applies from the package. */
  @Test
  void shouldGiveIdenticalFeaturesWithRegimesAndDriftsInTrainingAndAtInference() {
    Table table = TableMother.regimes(6, 6, 4);
    TrainingFrame frame = TrainingFrame.build(ExperimentSpecs.parseYaml(REGIME_SPEC), table);
    assertThat(frame.featureSpec().regimes().count()).isEqualTo(6);
    assertThat(frame.featureSpec().regimes().columns()).containsExactly("s1", "s2");
    assertThat(frame.featureSpec().baselineRows()).isEqualTo(5);
    assertThat(frame.featureSpec().featureOrder()).contains("s1", "s1_drift_10").doesNotContain("unit");

    FeaturePipeline server = new FeaturePipeline(frame.featureSpec());
    GroupState state = server.newState();
    for (int i = frame.rows() - 1; i >= 0; i--) {
      // units in reverse order, each from its first cycle: only per-unit order matters
      int start = i;
      while (start > 0 && frame.groups()[start - 1] == frame.groups()[i]) {
        start--;
      }
      for (int j = start; j <= i; j++) {
        assertThat(server.next(state, frame.rawRow(table, j))).as("row %d", j).containsExactly(frame.x()[j]);
      }
      i = start;
    }
    // normalised s2 (10 x condition + noise) no longer tells the conditions apart
    int s2 = frame.featureSpec().featureOrder().indexOf("s2");
    double max = java.util.Arrays.stream(frame.x()).mapToDouble(r -> Math.abs(r[s2])).max().orElseThrow();
    assertThat(max).isLessThan(6);
  }

  @Test
  void shouldDeriveCappedRulAndDropConstantColumns() {
    Table table = TableMother.engines(2, 3);
    TrainingFrame frame = TrainingFrame.build(ExperimentSpecs.parseYaml(SPEC), table);
    double[] cycle = table.numeric("cycle");
    int firstUnitLength = (int) java.util.stream.IntStream.range(0, table.rowCount())
        .filter(i -> table.numeric("unit")[i] == 1).count();
    assertThat(frame.y()[0]).isEqualTo(Math.min(30, firstUnitLength - cycle[frame.tableRows()[0]]));
    assertThat(frame.y()[firstUnitLength - 1]).isZero();
    assertThat(frame.y()[firstUnitLength - 5]).isEqualTo(4);
    assertThat(frame.featureSpec().featureOrder()).doesNotContain("s3").contains("s1_slope_25");
  }
}
