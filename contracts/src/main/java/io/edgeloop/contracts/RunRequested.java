package io.edgeloop.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A training run is asked for. Other systems may publish it (trigger {@code external}); whether a
 * script run is accepted from them is the experiment's choice.
 */
public record RunRequested(
    String runId,
    String experiment,
    RunTrigger trigger,
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

  @Override
  public String naturalKey() {
    return runId;
  }
}
