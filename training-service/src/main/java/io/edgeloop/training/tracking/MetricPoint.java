package io.edgeloop.training.tracking;

import java.time.Instant;

/** One logged value of a run metric. */
public record MetricPoint(String key, double value, long step, Instant time) {}
