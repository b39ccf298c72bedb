package io.edgeloop.training.trainer;

import io.edgeloop.training.secret.SecretMask;
import io.edgeloop.training.tracking.Trial;
import java.util.LinkedHashMap;
import java.util.Map;

/** A run's tracker that masks the run's secret values in every log line, metric name, param and tag it records. */
final class MaskingTracker implements RunTracker {
  private final RunTracker tracker;
  private final SecretMask mask;

  MaskingTracker(RunTracker tracker, SecretMask mask) {
    this.tracker = tracker;
    this.mask = mask;
  }

  @Override
  public void line(String stream, String line) {
    tracker.line(stream, mask.mask(line));
  }

  @Override
  public void metric(String key, double value, long step) {
    tracker.metric(mask.mask(key), value, step);
  }

  @Override
  public void params(Map<String, String> params) {
    Map<String, String> masked = new LinkedHashMap<>();
    params.forEach((k, v) -> masked.put(mask.mask(k), mask.mask(v)));
    tracker.params(masked);
  }

  @Override
  public void tags(Map<String, String> tags) {
    Map<String, String> masked = new LinkedHashMap<>();
    tags.forEach((k, v) -> masked.put(mask.mask(k), mask.mask(v)));
    tracker.tags(masked);
  }

  @Override
  public void environment(String environment) {
    tracker.environment(environment);
  }

  @Override
  public void trial(Trial trial) {
    tracker.trial(trial);
  }
}
