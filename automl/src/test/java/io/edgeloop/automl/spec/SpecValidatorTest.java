package io.edgeloop.automl.spec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeloop.automl.AutoMl;
import io.edgeloop.automl.TableMother;
import io.edgeloop.automl.TrialListener;
import io.edgeloop.automl.data.Table;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad specs fail before any training, naming the field. */
class SpecValidatorTest {

  @TempDir Path dir;

  private static final String BASE = """
      task: regression
      target: rul
      derivedTarget: {type: rul}
      features: [cycle, s1]
      timeSeries: {groupKey: unit, orderColumn: cycle, rolling: [{windows: [5]}]}
      """;

  private void assertFails(String yaml, Table table, String field, String message) {
    assertThatThrownBy(() -> AutoMl.run(ExperimentSpecs.parseYaml(yaml), table, List.of(), TrialListener.none(), dir))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith(field + ": ")
        .hasMessageContaining(message)
        .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((InvalidSpecException) e).field()).isEqualTo(field));
  }

  @Test
  void shouldNameAnUnknownFeatureColumn() {
    assertFails(BASE.replace("[cycle, s1]", "[cycle, s1, vibration]"), TableMother.engines(3, 1),
        "features[2]", "unknown column 'vibration'");
  }

  @Test
  void shouldRejectANonNumericRegressionTarget() {
    Table t = TableMother.engines(3, 1);
    String[] status = new String[t.rowCount()];
    java.util.Arrays.fill(status, "ok");
    Table withText = Table.builder().numeric("unit", t.numeric("unit")).numeric("cycle", t.numeric("cycle"))
        .numeric("s1", t.numeric("s1")).text("status", status).build();
    assertFails("task: regression\ntarget: status\nfeatures: [cycle, s1]\n", withText,
        "target", "'status' is not numeric");
  }

  @Test
  void shouldRejectAWindowLongerThanAnyGroup() {
    assertFails(BASE.replace("windows: [5]", "windows: [5, 500]"), TableMother.engines(3, 1),
        "timeSeries.rolling[0].windows", "window 500 is longer than any group");
  }

  @Test
  void shouldRejectAnEmptyDataset() {
    Table empty = Table.builder().numeric("unit", new double[0]).numeric("cycle", new double[0])
        .numeric("s1", new double[0]).build();
    assertFails(BASE, empty, "data", "empty");
  }

  @Test
  void shouldNameAnUnknownSpecField() {
    assertThatThrownBy(() -> ExperimentSpecs.parseYaml(BASE + "maxTrails: 3\n"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith("maxTrails: unknown field");
  }

  @Test
  void shouldRejectAMetricOfAnotherTask() {
    assertFails(BASE + "primaryMetric: auc\n", TableMother.engines(3, 1), "primaryMetric", "does not apply");
  }
}
