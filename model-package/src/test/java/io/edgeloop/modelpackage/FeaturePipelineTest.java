package io.edgeloop.modelpackage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgeloop.contracts.ColumnSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeaturePipelineTest {

  private static FeatureSpec spec(List<String> featureOrder, int maxGroups) {
    return new FeatureSpec(
        List.of(new ColumnSpec("unit", "int64"), new ColumnSpec("cycle", "int64"),
            new ColumnSpec("s", "float64")),
        "unit", "cycle",
        List.of(new RollingFeature("s", List.of(1, 3),
            List.of(WindowStat.MEAN, WindowStat.STD, WindowStat.SLOPE, WindowStat.MIN, WindowStat.MAX))),
        featureOrder, maxGroups);
  }

  private static Map<String, Double> row(double unit, double cycle, Double s) {
    Map<String, Double> r = new HashMap<>();
    r.put("unit", unit);
    r.put("cycle", cycle);
    r.put("s", s);
    return r;
  }

  @Test
  void shouldComputeWindowStatisticsOverTheRowsSeenSoFar() {
    FeaturePipeline p = new FeaturePipeline(spec(List.of("cycle", "s", "s_mean_3", "s_std_3",
        "s_slope_3", "s_min_3", "s_max_3", "s_mean_1"), 0));
    GroupState state = p.newState();

    float[] first = p.next(state, row(1, 1, 2.0));
    assertThat(first).containsExactly(1f, 2f, 2f, 0f, 0f, 2f, 2f, 2f);

    p.next(state, row(1, 2, 4.0));
    float[] third = p.next(state, row(1, 3, 9.0));
    // window {2,4,9}: mean 5, population std sqrt(26/3), slope 3.5
    assertThat(third[2]).isEqualTo(5f);
    assertThat(third[3]).isCloseTo((float) Math.sqrt(26.0 / 3), within(1e-6f));
    assertThat(third[4]).isEqualTo(3.5f);
    assertThat(third[5]).isEqualTo(2f);
    assertThat(third[6]).isEqualTo(9f);

    float[] fourth = p.next(state, row(1, 4, 1.0));
    // window slides to {4,9,1}
    assertThat(fourth[2]).isEqualTo(14f / 3);
    assertThat(fourth[5]).isEqualTo(1f);
    assertThat(fourth[7]).isEqualTo(1f);
  }

  @Test
  void shouldKeepGroupsApartAndIgnoreMissingValuesInWindows() {
    FeaturePipeline p = new FeaturePipeline(spec(List.of("s", "s_mean_3", "s_slope_3"), 0));
    GroupState state = p.newState();
    p.next(state, row(1, 1, 10.0));
    p.next(state, row(2, 1, 100.0));
    float[] missing = p.next(state, row(1, 2, null));
    assertThat(Float.isNaN(missing[0])).isTrue();
    assertThat(missing[1]).isEqualTo(10f);
    float[] after = p.next(state, row(1, 3, 16.0));
    // values at window positions 0 and 2 (NaN at 1 skipped): slope 6/2 = 3
    assertThat(after[1]).isEqualTo(13f);
    assertThat(after[2]).isEqualTo(3f);
    assertThat(state.size()).isEqualTo(2);
  }

  @Test
  void shouldStartAFreshHistoryWhenTheOrderGoesBackwards() {
    FeaturePipeline p = new FeaturePipeline(spec(List.of("s_mean_3"), 0));
    GroupState state = p.newState();
    p.next(state, row(1, 1, 10.0));
    p.next(state, row(1, 2, 20.0));
    assertThat(p.next(state, row(1, 1, 40.0))).containsExactly(40f);
  }

  @Test
  void shouldEvictTheLeastRecentlySeenGroupBeyondMaxGroups() {
    FeaturePipeline p = new FeaturePipeline(spec(List.of("s_mean_3"), 2));
    GroupState state = p.newState();
    p.next(state, row(1, 1, 10.0));
    p.next(state, row(2, 1, 20.0));
    p.next(state, row(1, 2, 30.0));
    p.next(state, row(3, 1, 40.0)); // evicts unit 2
    assertThat(state.size()).isEqualTo(2);
    assertThat(p.next(state, row(2, 2, 50.0))).containsExactly(50f);
    assertThat(p.next(state, row(3, 2, 60.0))).containsExactly(50f);
  }

  @Test
  void shouldGiveTheSameFeaturesInBatchAndRowByRow() {
    FeaturePipeline p = new FeaturePipeline(spec(List.of("s", "s_mean_3", "s_std_3", "s_slope_3"), 0));
    List<Map<String, Double>> rows = new ArrayList<>();
    for (int unit = 1; unit <= 3; unit++) {
      for (int cycle = 1; cycle <= 7; cycle++) {
        rows.add(row(unit, cycle, Math.sin(unit * cycle) * 100));
      }
    }
    float[][] batch = p.transform(rows);
    // the server's way: rows interleaved across units, one at a time on one long-lived state
    GroupState state = p.newState();
    for (int cycle = 1; cycle <= 7; cycle++) {
      for (int unit = 1; unit <= 3; unit++) {
        int i = (unit - 1) * 7 + cycle - 1;
        assertThat(p.next(state, rows.get(i))).containsExactly(batch[i]);
      }
    }
  }

  @Test
  void shouldMeasureDriftFromTheMeanOfTheGroupsFirstRowsAndRestartItWithANewLife() {
    FeatureSpec spec = new FeatureSpec(spec(List.of(), 0).rawColumns(), "unit", "cycle",
        List.of(new RollingFeature("s", List.of(2), List.of(WindowStat.DRIFT))), List.of("s_drift_2"), 0, null, 2);
    FeaturePipeline p = new FeaturePipeline(spec);
    GroupState state = p.newState();

    assertThat(p.next(state, row(1, 1, 10.0))).containsExactly(0f); // baseline {10}
    assertThat(p.next(state, row(1, 2, 20.0))).containsExactly(0f); // mean {10,20} - baseline {10,20}
    assertThat(p.next(state, row(2, 1, 500.0))).containsExactly(0f); // another unit, its own baseline
    assertThat(p.next(state, row(1, 3, 40.0))).containsExactly(15f); // mean {20,40} - 15: the baseline stays
    assertThat(p.next(state, row(1, 4, 60.0))).containsExactly(35f);
    assertThat(p.next(state, row(1, 1, 7.0))).containsExactly(0f); // a new life: a new baseline
  }

  @Test
  void shouldNormaliseColumnsPerOperatingRegimeBeforeWindows() {
    // two regimes told apart by setting "alt": near 0 and near 10; "s" reads 100 +- 2 in the first
    // and 500 +- 4 in the second
    OperatingRegimes regimes = new OperatingRegimes(List.of("alt"), List.of(5.0), List.of(5.0),
        List.of(List.of(-1.0), List.of(1.0)), List.of("s"),
        List.of(List.of(100.0), List.of(500.0)), List.of(List.of(2.0), List.of(4.0)));
    FeatureSpec spec = new FeatureSpec(List.of(new ColumnSpec("unit", "int64"), new ColumnSpec("cycle", "int64"),
        new ColumnSpec("alt", "float64"), new ColumnSpec("s", "float64")), "unit", "cycle",
        List.of(new RollingFeature("s", List.of(2), List.of(WindowStat.MEAN))), List.of("s", "s_mean_2"), 0, regimes, 0);
    FeaturePipeline p = new FeaturePipeline(spec);
    GroupState state = p.newState();

    assertThat(p.next(state, regimeRow(1, 0.1, 102.0))).containsExactly(1f, 1f);
    assertThat(p.next(state, regimeRow(2, 9.8, 508.0))).containsExactly(2f, 1.5f);
    Map<String, Double> noSetting = regimeRow(3, 0, 100.0);
    noSetting.remove("alt");
    float[] unknown = p.next(state, noSetting);
    assertThat(Float.isNaN(unknown[0])).as("no regime, no normalised value").isTrue();
    assertThat(unknown[1]).as("the window {2, NaN} skips the missing value").isEqualTo(2f);
  }

  private static Map<String, Double> regimeRow(double cycle, double alt, double s) {
    Map<String, Double> r = row(1, cycle, s);
    r.put("alt", alt);
    return r;
  }

  @Test
  void shouldRejectRegimesNamingColumnsThatAreNotRaw() {
    OperatingRegimes regimes = new OperatingRegimes(List.of("alt"), List.of(0.0), List.of(1.0),
        List.of(List.of(0.0)), List.of("s"), List.of(List.of(0.0)), List.of(List.of(1.0)));
    FeatureSpec spec = new FeatureSpec(spec(List.of(), 0).rawColumns(), "unit", "cycle", List.of(), List.of("s"), 0, regimes, 0);
    assertThatThrownBy(() -> new FeaturePipeline(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("regimes.settingColumns 'alt'");
  }

  @Test
  void shouldRejectFeatureNamesThatAreNeitherRawNorDeclared() {
    assertThatThrownBy(() -> new FeaturePipeline(spec(List.of("s_mean_30"), 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s_mean_30");
  }
}
