package io.edgeloop.messaging;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How events travel.
 *
 * @param maxEventBytes the largest event data (JSON bytes) a service publishes or stores in its
 *     outbox; larger ones are refused with {@link EventTooLargeException} (default 900 KiB, under
 *     Kafka's default 1 MiB message limit with room for headers)
 * @param retry how a consumer retries a record whose handler failed
 * @param outbox the transactional outbox
 */
@ConfigurationProperties("edgeloop.messaging")
public record MessagingProperties(Long maxEventBytes, Retry retry, Outbox outbox) {
  public MessagingProperties {
    maxEventBytes = maxEventBytes == null ? 900L * 1024 : maxEventBytes;
    retry = retry == null ? new Retry(null, null, null, null) : retry;
    outbox = outbox == null ? new Outbox(null, null) : outbox;
  }

  /**
   * Retries of a consumed record whose handler failed with anything but poison (a record that is
   * not a valid event, or {@link PoisonEventException}); poison is dead-lettered at once.
   *
   * @param initialInterval the first wait (default 1 s)
   * @param multiplier each wait is this many times the one before (default 2)
   * @param maxInterval the longest single wait (default 60 s; keep it well under the consumer's
   *     {@code max.poll.interval.ms}, 5 min by default)
   * @param maxDuration how long a record is retried before it is dead-lettered and counted in
   *     {@code edgeloop_events_dead_lettered_total} (default 20 min: a database failover or a broker
   *     restart must not lose an event)
   */
  public record Retry(Duration initialInterval, Double multiplier, Duration maxInterval, Duration maxDuration) {
    public Retry {
      initialInterval = initialInterval == null ? Duration.ofSeconds(1) : initialInterval;
      multiplier = multiplier == null ? 2.0 : multiplier;
      maxInterval = maxInterval == null ? Duration.ofSeconds(60) : maxInterval;
      maxDuration = maxDuration == null ? Duration.ofMinutes(20) : maxDuration;
    }
  }

  /**
   * @param enabled relay this service's {@code outbox} table (a service turns it on once its schema
   *     has the table; default false)
   * @param sweepInterval how often the relay looks for rows besides being woken by commits (default 1 s)
   */
  public record Outbox(Boolean enabled, Duration sweepInterval) {
    public Outbox {
      enabled = enabled != null && enabled;
      sweepInterval = sweepInterval == null ? Duration.ofSeconds(1) : sweepInterval;
    }
  }
}
