package io.edgeloop.deploy.rollout;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Two background threads: one runs due rollouts (one at a time, so a target never sees two
 * rollouts at once), one probes targets; a slow or hung target delays neither the other's work
 * nor the REST API.
 */
public class RolloutWorker implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(RolloutWorker.class);
  private final RolloutService rollouts;
  private final DeployProperties properties;
  private ScheduledExecutorService runner;
  private ScheduledExecutorService prober;

  public RolloutWorker(RolloutService rollouts, DeployProperties properties) {
    this.rollouts = rollouts;
    this.properties = properties;
  }

  @Override
  public synchronized void start() {
    rollouts.recover();
    runner = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "rollout-worker"));
    prober = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "target-prober"));
    runner.scheduleWithFixedDelay(guarded(rollouts::runDue), 0, properties.tick().toMillis(), TimeUnit.MILLISECONDS);
    prober.scheduleWithFixedDelay(guarded(rollouts::probe), 0, properties.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("background task failed, retrying next tick: {}", e.toString());
      }
    };
  }

  @Override
  public synchronized void stop() {
    if (runner != null) {
      runner.shutdownNow();
      prober.shutdownNow();
      try {
        runner.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      runner = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return runner != null;
  }
}
