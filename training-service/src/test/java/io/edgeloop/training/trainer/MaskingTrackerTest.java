package io.edgeloop.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.training.secret.SecretMask;
import io.edgeloop.training.tracking.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskingTrackerTest {
  private final List<String> recorded = new ArrayList<>();
  private final RunTracker tracker = new MaskingTracker(new RunTracker() {
    @Override
    public void line(String stream, String line) {
      recorded.add(stream + ": " + line);
    }

    @Override
    public void metric(String key, double value, long step) {
      recorded.add("metric " + key + "=" + value);
    }

    @Override
    public void params(Map<String, String> params) {
      recorded.add("params " + params);
    }

    @Override
    public void tags(Map<String, String> tags) {
      recorded.add("tags " + tags);
    }

    @Override
    public void environment(String environment) {
      recorded.add("environment " + environment);
    }

    @Override
    public void trial(Trial trial) {
      recorded.add("trial " + trial.index());
    }
  }, new SecretMask(List.of("s3cr3t-value")));

  @Test
  void shouldMaskSecretsInLinesMetricNamesParamsAndTags() {
    tracker.line("stdout", "connecting with s3cr3t-value");
    tracker.metric("leak-s3cr3t-value", 1.0, 0);
    tracker.params(Map.of("command", "train --token s3cr3t-value"));
    tracker.tags(Map.of("note", "s3cr3t-value"));

    assertThat(recorded).containsExactly("stdout: connecting with ***", "metric leak-***=1.0", "params {command=train --token ***}",
        "tags {note=***}");
  }
}
