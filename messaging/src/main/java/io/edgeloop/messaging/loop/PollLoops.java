package io.edgeloop.messaging.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Starts a service's background loops and reports them on {@code /actuator/health} (component
 * {@code pollLoops}): DOWN while any loop has failed without a success for longer than {@code
 * unhealthyAfter}, with each loop's failures and last error in the details.
 */
public final class PollLoops implements HealthIndicator {
  private final List<PollLoop> loops = new CopyOnWriteArrayList<>();
  private final Duration maxBackoff;
  private final Duration unhealthyAfter;

  public PollLoops(Duration maxBackoff, Duration unhealthyAfter) {
    this.maxBackoff = maxBackoff;
    this.unhealthyAfter = unhealthyAfter;
  }

  /**
   * Starts a loop that runs {@code task} every {@code interval}, at once again while it returns
   * true (more work waiting), with backoff while it throws.
   */
  public PollLoop start(String name, Duration interval, Callable<Boolean> task) {
    PollLoop loop = new PollLoop(name, interval, maxBackoff, task);
    loops.removeIf(l -> !l.state().running());
    loops.add(loop);
    loop.start();
    return loop;
  }

  @Override
  public Health health() {
    Instant unhealthySince = Instant.now().minus(unhealthyAfter);
    Health.Builder health = Health.up();
    for (PollLoop loop : loops) {
      PollLoop.State state = loop.state();
      if (!state.running()) {
        continue;
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("consecutiveFailures", state.consecutiveFailures());
      if (state.lastError() != null) {
        details.put("lastError", state.lastError());
        details.put("failingSince", state.failingSince().toString());
      }
      if (state.lastSuccess() != null) {
        details.put("lastSuccess", state.lastSuccess().toString());
      }
      if (state.failingSince() != null && state.failingSince().isBefore(unhealthySince)) {
        health.down();
      }
      health.withDetail(state.name(), details);
    }
    return health.build();
  }
}
