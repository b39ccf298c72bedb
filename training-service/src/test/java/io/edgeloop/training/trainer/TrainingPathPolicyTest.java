package io.edgeloop.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.training.config.TrainingProperties.SearchPolicy;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TrainingPathPolicyTest {
  static final SearchPolicy DEFAULTS = new SearchPolicy(null, null, null);

  static TrainingPathPolicy.Inputs data(Integer champion, long latest, Long searched) {
    return new TrainingPathPolicy.Inputs(null, "data", champion, true, false, latest,
        searched == null ? OptionalLong.empty() : OptionalLong.of(searched));
  }

  static TrainingPath decide(TrainingPathPolicy.Inputs in) {
    return TrainingPathPolicy.decide(in, DEFAULTS);
  }

  @Test
  void shouldSearchForTheFirstModelAndRefitWhenNewDataLandsOnAChampion() {
    assertThat(decide(data(null, 1, null))).extracting(TrainingPath::kind, TrainingPath::reason)
        .containsExactly(TrainingPath.Kind.SEARCH, "first_model");
    assertThat(decide(data(1, 2, 1L))).extracting(TrainingPath::kind, TrainingPath::reason)
        .containsExactly(TrainingPath.Kind.REFIT, "new_data");
  }

  @Test
  void shouldSearchEveryNDataVersionsSinceTheLastSearch() {
    assertThat(decide(data(3, 5, 1L)).kind()).isEqualTo(TrainingPath.Kind.REFIT);
    assertThat(decide(data(3, 6, 1L))).extracting(TrainingPath::kind, TrainingPath::reason)
        .containsExactly(TrainingPath.Kind.SEARCH, "data_versions");
    assertThat(decide(data(3, 6, 6L)).kind()).isEqualTo(TrainingPath.Kind.REFIT);
    assertThat(TrainingPathPolicy.decide(data(3, 60, 1L), new SearchPolicy(0, null, null)).kind())
        .as("0 turns the rule off").isEqualTo(TrainingPath.Kind.REFIT);
  }

  @Test
  void shouldSearchOnScheduleAndManualRunsUnlessConfiguredOrAskedOtherwise() {
    var scheduled = new TrainingPathPolicy.Inputs(null, "schedule", 2, true, false, 3, OptionalLong.of(3));
    var manual = new TrainingPathPolicy.Inputs(null, "manual", 2, true, false, 3, OptionalLong.of(3));
    assertThat(decide(scheduled).reason()).isEqualTo("schedule");
    assertThat(decide(manual).reason()).isEqualTo("manual");
    assertThat(TrainingPathPolicy.decide(scheduled, new SearchPolicy(null, false, false)).kind()).isEqualTo(TrainingPath.Kind.REFIT);
    assertThat(TrainingPathPolicy.decide(manual, new SearchPolicy(null, false, false)).kind()).isEqualTo(TrainingPath.Kind.REFIT);
    var manualRefit = new TrainingPathPolicy.Inputs("refit", "manual", 2, true, false, 3, OptionalLong.of(3));
    assertThat(decide(manualRefit)).extracting(TrainingPath::kind, TrainingPath::reason)
        .containsExactly(TrainingPath.Kind.REFIT, "requested");
  }

  @Test
  void shouldSearchWhenTheChampionCannotBeRefittedOrTheSpecChanged() {
    var script = new TrainingPathPolicy.Inputs("refit", "data", 2, false, false, 3, OptionalLong.of(1));
    assertThat(decide(script).reason()).as("a refit asked for without a refittable champion").isEqualTo("champion_not_refittable");
    var changed = new TrainingPathPolicy.Inputs(null, "data", 2, true, true, 3, OptionalLong.of(2));
    assertThat(decide(changed)).extracting(TrainingPath::kind, TrainingPath::reason)
        .containsExactly(TrainingPath.Kind.SEARCH, "spec_changed");
    var asked = new TrainingPathPolicy.Inputs("search", "data", 2, true, false, 3, OptionalLong.of(2));
    assertThat(decide(asked).reason()).isEqualTo("requested");
  }
}
