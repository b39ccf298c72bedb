package io.edgeloop.training.trainer;

import io.edgeloop.training.compute.LogSink;
import java.util.Map;

/** Where a trainer reports a run's environment, log lines and metrics. */
public interface RunTracker extends LogSink {
  void metric(String key, double value, long step);

  void params(Map<String, String> params);

  void environment(String environment);
}
