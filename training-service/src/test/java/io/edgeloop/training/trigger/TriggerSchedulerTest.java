package io.edgeloop.training.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.training.config.TrainingProperties;
import io.edgeloop.training.config.TrainingProperties.Experiment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TriggerSchedulerTest {
  /** Records the triggers instead of writing to the outbox. */
  static final class RecordingPolicy extends TriggerPolicy {
    final List<String> triggered = new ArrayList<>();
    int dueChecks;

    RecordingPolicy() {
      super(null, null, null, null, null);
    }

    @Override
    public int fireDue(Instant now) {
      dueChecks++;
      return 0;
    }

    @Override
    public Optional<String> triggerScheduled(String experiment, Instant slot) {
      triggered.add(experiment + ":" + slot);
      return Optional.of("run-" + triggered.size());
    }
  }

  @Test
  void shouldFireACronScheduleOncePerOccurrence() {
    Experiment nightly = new Experiment("nightly", "d", null, null, null, null, null, null, "0 0 2 * * *", false, null, null);
    Experiment dataOnly = new Experiment("data-only", "d", null, null, null, null, null, null, null, null, null, null);
    RecordingPolicy policy = new RecordingPolicy();
    TriggerScheduler scheduler =
        new TriggerScheduler(policy, new TrainingProperties(List.of(nightly, dataOnly), null, null, null, null, null, null, null, null, null, null, null, null, null, null));

    Instant day = Instant.parse("2026-11-22T01:59:58Z");
    scheduler.tick(day);
    scheduler.tick(day.plusSeconds(1));
    assertThat(policy.triggered).isEmpty();
    scheduler.tick(day.plusSeconds(2));
    scheduler.tick(day.plusSeconds(3));
    scheduler.tick(day.plusSeconds(3600));
    assertThat(policy.triggered).containsExactly("nightly:2026-11-22T02:00:00Z");
    scheduler.tick(day.plusSeconds(86_400 + 2));
    assertThat(policy.triggered).containsExactly("nightly:2026-11-22T02:00:00Z", "nightly:2026-11-23T02:00:00Z");
    assertThat(policy.dueChecks).isEqualTo(6);
  }
}
