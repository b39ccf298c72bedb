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
