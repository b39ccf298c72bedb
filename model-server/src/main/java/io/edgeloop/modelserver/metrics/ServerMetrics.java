package io.edgeloop.modelserver.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The server's Prometheus metrics, served at {@code /metrics}:
 * <ul>
 *   <li>{@code edgeloop_inference_requests_total{endpoint,status}}: every HTTP request;
 *   <li>{@code edgeloop_inference_errors_total{endpoint,status}}: requests answered with 4xx/5xx;
 *   <li>{@code edgeloop_inference_latency_seconds}: histogram of successful {@code infer} calls,
 *       request read to response ready, buckets from 100 µs to 1 s;
 *   <li>{@code edgeloop_inference_rows_total}: rows (batch entries) inferred;
 *   <li>{@code edgeloop_inference_batch_requests}: histogram of infer requests run together;
 *   <li>{@code edgeloop_inference_in_flight}: requests being handled now;
 *   <li>{@code edgeloop_inference_tracked_groups}: groups whose feature history is kept;
 *   <li>{@code edgeloop_model_info{model,version}}: 1 for the model being served;
 *   <li>JVM memory and threads, process CPU and uptime.
 * </ul>
 */
public final class ServerMetrics {

  private static final Duration[] LATENCY_BUCKETS = {
      Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
      Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1)};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private final Timer latency;
  private final Counter rows;
  private final DistributionSummary batches;

  public ServerMetrics() {
    latency = Timer.builder("edgeloop.inference.latency")
        .description("Time to serve a successful infer request, request read to response ready")
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .minimumExpectedValue(LATENCY_BUCKETS[0])
        .maximumExpectedValue(LATENCY_BUCKETS[LATENCY_BUCKETS.length - 1])
        .register(registry);
    rows = Counter.builder("edgeloop.inference.rows").description("Rows (batch entries) inferred")
        .register(registry);
    batches = DistributionSummary.builder("edgeloop.inference.batch.requests")
        .description("Infer requests read together by one I/O thread and run together (dynamic batching)")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Announces the served model as {@code edgeloop_model_info{model,version} 1}. */
  public void modelInfo(String model, String version) {
    Gauge.builder("edgeloop.model.info", () -> 1).description("The model this server serves")
        .tags("model", model, "version", version).register(registry);
  }

  /** Registers a gauge {@code edgeloop_inference_<name>} read from {@code source} at each scrape. */
  public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
    Gauge.builder("edgeloop.inference." + name, source, value).description(description).register(registry);
  }

  /** Counts one answered request; {@code endpoint} is a route name, never a raw path. */
  public void request(String endpoint, int status) {
    String key = endpoint + '|' + status;
    requests.computeIfAbsent(key, k -> counter("edgeloop.inference.requests", "HTTP requests answered",
        endpoint, status)).increment();
    if (status >= 400) {
      errors.computeIfAbsent(key, k -> counter("edgeloop.inference.errors", "HTTP requests answered with an error",
          endpoint, status)).increment();
    }
  }

  private Counter counter(String name, String description, String endpoint, int status) {
    return Counter.builder(name).description(description)
        .tags("endpoint", endpoint, "status", Integer.toString(status)).register(registry);
  }

  /** Records one successful inference of {@code rowCount} rows that took {@code nanos}. */
  public void inferred(long rowCount, long nanos) {
    rows.increment(rowCount);
    latency.record(Duration.ofNanos(nanos));
  }

  /** Records one round of dynamic batching: {@code requests} infer requests run together. */
  public void batch(int requests) {
    batches.record(requests);
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }

  /** Content type of {@link #scrape()}. */
  public static String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }
}
