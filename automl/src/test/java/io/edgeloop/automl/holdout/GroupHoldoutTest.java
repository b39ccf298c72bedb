package io.edgeloop.automl.holdout;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.automl.TableMother;
import io.edgeloop.automl.data.Table;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The gate compares a champion and a challenger on the holdout of the challenger's run. It cannot
 * favour a model that trained on that holdout only if no run ever trains on a unit another run
 * holds out: the rule must depend on the unit alone, never on which units or rows a run has.
 */
class GroupHoldoutTest {

  static Set<Double> units(Table t) {
    return Arrays.stream(t.numeric("unit")).boxed().collect(Collectors.toCollection(TreeSet::new));
  }

  static Table units(Table all, int from, int to) {
    double[] unit = all.numeric("unit");
    return GroupHoldout.subset(all, IntStream.range(0, unit.length).filter(i -> unit[i] >= from && unit[i] <= to).boxed().toList());
  }

  @Test
  void shouldNeverTrainOneRunOnUnitsAnotherRunHoldsOut() {
    Table all = TableMother.engines(200, 5);
    // a first batch, then all data, then a batch with the first units missing (deleted version, say)
    List<GroupHoldout.Split> runs = List.of(
        GroupHoldout.split(units(all, 1, 100), "unit", 0.2),
        GroupHoldout.split(all, "unit", 0.2),
        GroupHoldout.split(units(all, 51, 200), "unit", 0.2));

    for (GroupHoldout.Split a : runs) {
      for (GroupHoldout.Split b : runs) {
        assertThat(units(a.train())).doesNotContainAnyElementsOf(units(b.holdout()));
      }
    }
    assertThat(units(runs.get(1).holdout())).hasSizeBetween(25, 55).containsAll(units(runs.get(0).holdout()));
    assertThat(runs.get(1).train().rowCount() + runs.get(1).holdout().rowCount()).isEqualTo(all.rowCount());
  }

  @Test
  void shouldKeepEveryRowOfAHeldOutUnitOutSoNoTrainingWindowOverlapsIt() {
    Table all = TableMother.engines(60, 2);
    GroupHoldout.Split split = GroupHoldout.split(all, "unit", 0.2);
    for (double unit : units(split.holdout())) {
      long rows = Arrays.stream(all.numeric("unit")).filter(u -> u == unit).count();
      assertThat(Arrays.stream(split.holdout().numeric("unit")).filter(u -> u == unit).count()).isEqualTo(rows);
      assertThat(GroupHoldout.heldOut(unit, 0.2)).isTrue();
    }
  }
}
