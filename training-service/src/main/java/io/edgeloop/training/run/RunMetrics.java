package io.edgeloop.training.run;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** The training meters named in the metrics contract (brief/metrics.md). */
@Component
public class RunMetrics {
  private final MeterRegistry meters;
  private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
  private final AtomicInteger queue = new AtomicInteger();
  private final Map<String, double[]> modelMetric = new ConcurrentHashMap<>();

  public RunMetrics(MeterRegistry meters) {
    this.meters = meters;
    for (String status : new String[] {"queued", "preparing", "running"}) {
      AtomicInteger n = new AtomicInteger();
      active.put(status, n);
      Gauge.builder("edgeloop.training.runs.active", n, AtomicInteger::get).tag("status", status).register(meters);
    }
    Gauge.builder("edgeloop.training.queue.length", queue, AtomicInteger::get).register(meters);
  }

  /** Refreshes the gauges from the run table's counts by status. */
  public void statusCounts(Map<String, Integer> counts) {
    active.forEach((status, n) -> n.set(counts.getOrDefault(status, 0)));
    queue.set(counts.getOrDefault("queued", 0));
  }

  public void ended(RunStatus status, Duration duration) {
    meters.counter("edgeloop.training.runs", "status", status.wire()).increment();
    if (duration != null) {
      Timer.builder("edgeloop.training.run.duration").tag("status", status.wire()).register(meters).record(duration);
    }
  }

  public void registered(String model, boolean promoted, String metric, Double value) {
    meters.counter("edgeloop.training.models.registered", "model", model, "promoted", String.valueOf(promoted)).increment();
    if (metric != null && value != null) {
      double[] holder =
          modelMetric.computeIfAbsent(model + "\u0000" + metric, k -> {
            double[] h = {Double.NaN};
            Gauge.builder("edgeloop.training.model.metric", h, a -> a[0]).tag("model", model).tag("metric", metric).register(meters);
            return h;
          });
      holder[0] = value;
    }
  }
}
