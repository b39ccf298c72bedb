package io.edgeloop.deploy.rollout;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The deploy-service's meters (names from the project's metrics contract). */
public class DeployMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> up = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> versions = new ConcurrentHashMap<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final Timer duration;

  public DeployMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("edgeloop.deploy.pending", pending, AtomicInteger::get)
        .description("Deployments waiting for an unreachable target").register(registry);
    this.duration = Timer.builder("edgeloop.deploy.rollout.duration")
        .description("Time of one rollout attempt to one target, pull to switch")
        .publishPercentileHistogram().register(registry);
    for (String result : new String[] {"deployed", "failed", "rolled_back", "rejected"}) {
      registry.counter("edgeloop.deploy.rollouts", "result", result);
    }
  }

  public void targetUp(String target, boolean isUp) {
    up.computeIfAbsent(target, name -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder("edgeloop.deploy.target.up", value, AtomicInteger::get)
          .description("1 when the target answers, 0 when not").tag("target", name).register(registry);
      return value;
    }).set(isUp ? 1 : 0);
  }

  /** What the last probe said about {@code target}; empty before the first probe. */
  public java.util.Optional<Boolean> lastUp(String target) {
    return java.util.Optional.ofNullable(up.get(target)).map(value -> value.get() == 1);
  }

  public void modelVersion(String target, String model, int version) {
    versions.computeIfAbsent(target + "\u0000" + model, key -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder("edgeloop.deploy.model.version", value, AtomicInteger::get)
          .description("The model version a target serves").tags("target", target, "model", model).register(registry);
      return value;
    }).set(version);
  }

  public void rollout(DeploymentStatus result, Duration took) {
    registry.counter("edgeloop.deploy.rollouts", "result", result.value()).increment();
    duration.record(took);
  }

  /** An image that did not pass admission, once per target it would have gone to. */
  public void rejected() {
    registry.counter("edgeloop.deploy.rollouts", "result", DeploymentStatus.REJECTED.value()).increment();
  }

  public void pending(int count) {
    pending.set(count);
  }
}
