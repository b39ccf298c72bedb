package io.edgeloop.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.edgeloop.automl.data.Table;
import io.edgeloop.automl.holdout.GroupHoldout;
import io.edgeloop.contracts.RunFailureReason;
import io.edgeloop.training.dataset.DatasetLoader;
import io.edgeloop.training.run.RunFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service holdout is fixed per unit across runs. A run whose every unit is held out must not
 * train on them: the next models would be scored on the units this one saw.
 */
class AutoMlTrainerHoldoutTest {
  private static final Map<String, Object> SPEC = Map.of("name", "holdout-edge", "task", "regression", "target", "s2",
      "timeSeries", Map.of("groupKey", "unit", "orderColumn", "cycle"), "maxTrials", 1, "families", List.of("linear"));

  @TempDir Path dir;

  @Test
  void shouldRefuseToTrainWhenEveryUnitIsInTheFixedHoldout() throws Exception {
    double heldOutUnit = IntStream.rangeClosed(1, 1000).filter(u -> GroupHoldout.heldOut(u, 0.2)).findFirst().orElseThrow();
    DatasetLoader loader = mock(DatasetLoader.class);
    when(loader.load(any(), any())).thenReturn(oneUnit(heldOutUnit));
    TrainerContext ctx = new TrainerContext(null, "m", SPEC, List.of(), dir, null, Duration.ofMinutes(1), () -> false, null, null);

    RunFailure failure = catchThrowableOfType(RunFailure.class, () -> new AutoMlTrainer(loader, null, null, null).prepare(ctx));

    assertThat(failure).as("a run on held-out units only").isNotNull();
    assertThat(failure.reason()).isEqualTo(RunFailureReason.NO_DATA);
    assertThat(failure.getMessage()).contains("all 30 rows belong to units in the fixed service holdout", "holdoutFraction 0");
  }

  private static Table oneUnit(double unit) {
    double[] cycles = IntStream.rangeClosed(1, 30).asDoubleStream().toArray();
    return Table.builder()
        .numeric("unit", IntStream.range(0, 30).mapToDouble(i -> unit).toArray())
        .numeric("cycle", cycles)
        .numeric("s2", IntStream.range(0, 30).mapToDouble(i -> 640 + i * 0.1).toArray())
        .build();
  }
}
