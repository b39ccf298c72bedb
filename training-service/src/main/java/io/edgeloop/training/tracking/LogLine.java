package io.edgeloop.training.tracking;

import java.time.Instant;

/** One line of a run's log; {@code stream} is stdout, stderr or system. */
public record LogLine(long seq, String stream, String line, Instant time) {}
