package io.edgeloop.training.compute;

import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Where a run's command executes: this host, a Docker engine (later a Kubernetes Job). */
public interface ComputeTarget {
  String name();

  String kind();

  /**
   * Runs {@code execution} to its end, streaming output to {@code log}; stops (kills) it when
   * {@code timeout} passes or {@code canceled} turns true. Throws {@link IOException} when the
   * target cannot start it (engine unreachable, image missing).
   */
  ExecutionResult execute(Execution execution, LogSink log, Duration timeout, BooleanSupplier canceled)
      throws IOException, InterruptedException;

  /** Stops whatever is left of a run's execution after a crash of this service; default: nothing to do. */
  default void cleanUp(String runId) {}
}
