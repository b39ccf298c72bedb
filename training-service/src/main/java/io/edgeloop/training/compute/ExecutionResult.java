package io.edgeloop.training.compute;

/** How an execution ended: its exit code, or that it was stopped for a timeout or a cancel; and the environment it ran in. */
public record ExecutionResult(Outcome outcome, int exitCode, String environment) {
  public enum Outcome {
    EXITED,
    TIMED_OUT,
    CANCELED
  }
}
