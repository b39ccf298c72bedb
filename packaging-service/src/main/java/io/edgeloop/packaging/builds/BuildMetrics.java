package io.edgeloop.packaging.builds;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The packaging meters, named as in the metrics contract (docs: metrics.md). */
public final class BuildMetrics {
  private final MeterRegistry meters;
  private final Timer duration;
  private final Counter pushed;
  private final Map<String, AtomicLong> sizes = new ConcurrentHashMap<>();

  public BuildMetrics(MeterRegistry meters) {
    this.meters = meters;
    this.duration = Timer.builder("edgeloop.packaging.build.duration")
        .description("Time from ModelTrained to a pushed, smoke-tested image (or a failure)")
        .register(meters);
    this.pushed = Counter.builder("edgeloop.packaging.pushed").baseUnit("bytes")
        .description("Bytes uploaded to the registry").register(meters);
  }

  /** Counts a build by {@code result}: pushed, failed or skipped. */
  void result(String result) {
    meters.counter("edgeloop.packaging.builds", "result", result).increment();
  }

  void duration(Duration elapsed) {
    duration.record(elapsed);
  }

  void pushed(long bytes) {
    pushed.increment(bytes);
  }

  void imageSize(String model, long bytes) {
    sizes.computeIfAbsent(model, m -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder("edgeloop.packaging.image.size", value, AtomicLong::get).baseUnit("bytes").tag("model", m)
          .description("Compressed size of the model's latest image").register(meters);
      return value;
    }).set(bytes);
  }
}
