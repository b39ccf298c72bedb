package io.edgeloop.training.trigger;

import io.edgeloop.training.config.TrainingProperties;
import io.edgeloop.training.config.TrainingProperties.Experiment;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Ticks the trigger policy: fires debounced data triggers when due, and cron schedules (UTC) when their
 * time comes (each occurrence once across all instances, see {@link TriggerPolicy#triggerScheduled}).
 */
@Component
public class TriggerScheduler implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(TriggerScheduler.class);
  private final TriggerPolicy policy;
  private final TrainingProperties properties;
  private final Map<String, ZonedDateTime> nextFire = new ConcurrentHashMap<>();
  private ScheduledExecutorService executor;

  public TriggerScheduler(TriggerPolicy policy, TrainingProperties properties) {
    this.policy = policy;
    this.properties = properties;
    for (Experiment e : properties.experiments()) {
      if (e.schedule() != null && !e.schedule().isBlank()) {
        CronExpression.parse(e.schedule()); // fail at startup on a bad expression
      }
    }
  }

  void tick(Instant now) {
    policy.fireDue(now);
    ZonedDateTime utc = now.atZone(ZoneOffset.UTC);
    for (Experiment e : properties.experiments()) {
      if (e.schedule() == null || e.schedule().isBlank()) {
        continue;
      }
      ZonedDateTime next = nextFire.computeIfAbsent(e.name(), k -> CronExpression.parse(e.schedule()).next(utc));
      if (next != null && !utc.isBefore(next)) {
        nextFire.put(e.name(), CronExpression.parse(e.schedule()).next(utc));
        try {
          if (policy.triggerScheduled(e.name(), next.toInstant()).isEmpty()) {
            log.debug("scheduled run of {} at {} was requested by another instance", e.name(), next);
          }
        } catch (TriggerPolicy.UnknownExperimentException skipped) {
          log.info("scheduled run of {} skipped: {}", e.name(), skipped.getMessage());
        }
      }
    }
  }

  @Override
  public void start() {
    executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "trigger-scheduler"));
    long every = properties.pollInterval().toMillis();
    executor.scheduleWithFixedDelay(() -> {
      try {
        tick(Instant.now());
      } catch (RuntimeException e) {
        log.warn("trigger tick failed: {}", e.toString());
      }
    }, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    executor.shutdownNow();
    executor = null;
  }

  @Override
  public boolean isRunning() {
    return executor != null;
  }
}
