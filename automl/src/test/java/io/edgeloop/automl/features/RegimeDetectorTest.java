package io.edgeloop.automl.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.automl.TableMother;
import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.spec.ExperimentSpec;
import io.edgeloop.modelpackage.OperatingRegimes;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegimeDetectorTest {

  static final ExperimentSpec.Regimes SETTINGS = new ExperimentSpec.Regimes(List.of("alt", "mach"), null, null);

  @Test
  void shouldFindSixConditionsAndNormaliseEachColumnWithinItsRegime() {
    Table table = TableMother.regimes(20, 6, 1);

    OperatingRegimes regimes = RegimeDetector.detect(SETTINGS, table, List.of("s1", "s2"), 42).orElseThrow();

    assertThat(regimes.count()).isEqualTo(6);
    assertThat(regimes.columns()).containsExactly("s1", "s2");
    // s2 reads 10 x condition + N(0,1): per regime its mean is the condition's level and its scale about 1
    List<Double> s2Means = regimes.mean().stream().map(m -> m.get(1)).sorted().toList();
    for (int k = 0; k < 6; k++) {
      assertThat(s2Means.get(k)).isCloseTo(10.0 * k, org.assertj.core.data.Offset.offset(0.5));
    }
    assertThat(regimes.scale()).allSatisfy(s -> assertThat(s.get(1)).isBetween(0.8, 1.2));
  }

  /**
   * C-MAPSS FD002/FD004's six conditions: the two at 35 and 42 kft share Mach number and throttle and
   * hold under 1 % of the settings' variance, so the share alone stops at five regimes and mixes two
   * sensor levels in one.
   */
  @Test
  void shouldKeepTwoConditionsThatLieCloseTogetherApart() {
    double[][] conditions = {{0, 0, 100}, {10, 0.25, 100}, {20, 0.70, 100}, {25, 0.62, 60}, {35, 0.84, 100}, {42, 0.84, 100}};
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    int rows = 3000;
    double[][] columns = new double[4][rows];
    for (int i = 0; i < rows; i++) {
      double[] c = conditions[random.nextInt(conditions.length)];
      columns[0][i] = c[0] + 0.003 * random.nextGaussian();
      columns[1][i] = c[1] + 0.0003 * random.nextGaussian();
      columns[2][i] = c[2];
      columns[3][i] = 47 * (1 - 0.016 * c[0] + 0.25 * c[1]) + 0.3 * random.nextGaussian();
    }
    Table table = Table.builder().numeric("alt", columns[0]).numeric("mach", columns[1]).numeric("tra", columns[2])
        .numeric("s1", columns[3]).build();

    OperatingRegimes regimes = RegimeDetector.detect(new ExperimentSpec.Regimes(List.of("alt", "mach", "tra"), null, null),
        table, List.of("s1"), 42).orElseThrow();

    assertThat(regimes.count()).isEqualTo(6);
    assertThat(regimes.scale()).allSatisfy(s -> assertThat(s.get(0)).isBetween(0.25, 0.35));
  }

  @Test
  void shouldFindNoRegimesInOneNoisyCondition() {
    Table table = TableMother.regimes(20, 1, 1);
    assertThat(RegimeDetector.detect(SETTINGS, table, List.of("s1"), 42)).isEmpty();
  }

  @Test
  void shouldFindTheSameRegimesForTheSameSeedAndData() {
    Table table = TableMother.regimes(10, 4, 2);
    assertThat(RegimeDetector.detect(SETTINGS, table, List.of("s1"), 7))
        .isEqualTo(RegimeDetector.detect(SETTINGS, table, List.of("s1"), 7));
  }
}
