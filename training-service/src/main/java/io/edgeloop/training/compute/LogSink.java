package io.edgeloop.training.compute;

/** Receives a run's output, line by line; {@code stream} is stdout or stderr. Must be thread-safe. */
@FunctionalInterface
public interface LogSink {
  void line(String stream, String line);
}
