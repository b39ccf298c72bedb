package io.edgeloop.training.trainer;

import io.edgeloop.training.compute.LogSink;
import io.edgeloop.training.tracking.Trial;
import java.util.Map;

/** Where a trainer reports a run's environment, log lines, metrics and (AutoML) trials. */
public interface RunTracker extends LogSink {
  void metric(String key, double value, long step);

  void params(Map<String, String> params);

  /** Sets tags of the run (e.g. the AutoML path it took), replacing those with the same keys. */
  void tags(Map<String, String> tags);

  void environment(String environment);

  /** Records one trial of an AutoML sweep under the run. */
  void trial(Trial trial);
}
