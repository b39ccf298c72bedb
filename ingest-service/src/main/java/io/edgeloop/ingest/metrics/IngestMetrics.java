package io.edgeloop.ingest.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * {@code edgeloop.ingest.files{source,result}}, {@code edgeloop.ingest.rejections{reason}},
 * {@code edgeloop.ingest.bytes}, {@code edgeloop.ingest.rows}, {@code edgeloop.ingest.settle.to.event}
 * {@code edgeloop.ingest.backlog}, and the input being converted now: {@code edgeloop.ingest.progress}
 * (bytes of the original read) of {@code edgeloop.ingest.progress.total} (its size; 0 when idle or unknown).
 */
public class IngestMetrics {
  private final MeterRegistry registry;
  private final Counter bytes;
  private final Counter rows;
  private final Timer settleToEvent;
  private final AtomicLong progressBytes = new AtomicLong();
  private final AtomicLong progressTotal = new AtomicLong();

  public IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.bytes = Counter.builder("edgeloop.ingest.bytes").baseUnit("bytes").description("bytes of accepted input").register(registry);
    this.rows = Counter.builder("edgeloop.ingest.rows").description("rows of accepted input").register(registry);
    this.settleToEvent =
        Timer.builder("edgeloop.ingest.settle.to.event")
            .description("time from an input being complete (settled, seen, batch closed) to its DataLanded being sent")
            .publishPercentileHistogram()
            .register(registry);
    Gauge.builder("edgeloop.ingest.progress", progressBytes, AtomicLong::get).baseUnit("bytes")
        .description("bytes of the input being converted read so far (0 when idle)").register(registry);
    Gauge.builder("edgeloop.ingest.progress.total", progressTotal, AtomicLong::get).baseUnit("bytes")
        .description("size of the input being converted (0 when idle or unknown)").register(registry);
  }

  /** The input being converted: {@code done} of {@code total} bytes read. */
  public void progress(long done, long total) {
    progressBytes.set(done);
    progressTotal.set(total);
  }

  public void backlog(IntSupplier waiting) {
    Gauge.builder("edgeloop.ingest.backlog", waiting::getAsInt).description("inputs detected and not yet handled").register(registry);
  }

  public void seen(String source) {
    file(source, "seen");
  }

  public void accepted(String source, long inputBytes, long inputRows, Duration settleToEventTime) {
    file(source, "accepted");
    bytes.increment(inputBytes);
    rows.increment(inputRows);
    settleToEvent.record(settleToEventTime);
  }

  public void duplicate(String source) {
    file(source, "duplicate");
  }

  public void rejected(String source, String reason) {
    file(source, "rejected");
    Counter.builder("edgeloop.ingest.rejections").tag("reason", reason).register(registry).increment();
  }

  private void file(String source, String result) {
    Counter.builder("edgeloop.ingest.files").tag("source", source).tag("result", result).register(registry).increment();
  }
}
