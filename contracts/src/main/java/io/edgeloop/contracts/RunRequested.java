package io.edgeloop.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A training run is asked for. {@code trigger} is {@code data}, {@code manual}, {@code schedule} or
 * {@code external}. Other systems may publish it; the training service treats all the same.
 */
public record RunRequested(
    String runId,
    String experiment,
    String trigger,
    List<DatasetRef> datasets,
    TrainingSpec spec,
    String computeTarget,
    Instant requestedAt)
    implements EdgeloopEvent {

  public RunRequested {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(trigger, "trigger");
    datasets = List.copyOf(datasets);
    Objects.requireNonNull(requestedAt, "requestedAt");
  }

  @Override
  public String partitionKey() {
    return experiment;
  }
}
