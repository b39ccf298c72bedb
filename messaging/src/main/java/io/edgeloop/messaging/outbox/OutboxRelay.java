package io.edgeloop.messaging.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.contracts.EdgeloopEvent;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.EventType;
import io.edgeloop.messaging.EventPublisher;
import io.edgeloop.messaging.crash.CrashPoints;
import io.edgeloop.messaging.loop.PollLoop;
import io.edgeloop.messaging.loop.PollLoops;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes pending outbox rows in order with the (synchronous) {@link EventPublisher} and marks
 * them sent. A crash between publish and mark publishes the row again with the same CloudEvents id
 * (ids come from natural keys), which consumers recognise. Runs when {@link Outbox} wakes it after
 * a commit, and as a sweep. With several instances on one database, one instance relays at a time
 * (a transaction-scoped advisory lock per service), so rows go out once each, in order.
 *
 * <p>A row that can never be published (unreadable, refused by its schema, too large for the
 * broker) is set aside with its error and does not hold back the rows after it; a broker that does
 * not answer stops the pass, and the same row is tried again on the next one.
 */
public class OutboxRelay implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final ObjectMapper JSON = EventCodec.objectMapper();
  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final EventPublisher publisher;
  private final PollLoops loops;
  private final Duration sweepInterval;
  private final String lockName;
  private final Counter setAside;
  private final AtomicLong pending = new AtomicLong();
  private volatile PollLoop loop;

  public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, EventPublisher publisher, PollLoops loops,
      Duration sweepInterval, String service, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.publisher = publisher;
    this.loops = loops;
    this.sweepInterval = sweepInterval;
    this.lockName = "edgeloop.outbox." + service;
    this.setAside = Counter.builder("edgeloop.outbox.set.aside")
        .description("outbox rows that can never be published, kept with their error").register(meters);
    // Counted by the relay, not by the scrape: metrics must answer while the database does not.
    meters.gauge("edgeloop.outbox.pending", pending);
  }

  /** Asks for a relay pass soon (after a commit that added rows). */
  public void wakeUp() {
    PollLoop current = loop;
    if (current != null) {
      current.wakeUp();
    }
  }

  /** Publishes every pending row; returns how many were sent or set aside. */
  public int relay() {
    int handled = 0;
    while (true) {
      Integer batch = tx.execute(status -> relayBatch());
      if (batch == null || batch == 0) {
        Long left = jdbc.queryForObject("select count(*) from outbox where sent_at is null and error is null", Long.class);
        pending.set(left == null ? 0 : left);
        return handled;
      }
      handled += batch;
    }
  }

  private int relayBatch() {
    if (!Boolean.TRUE.equals(jdbc.queryForObject("select pg_try_advisory_xact_lock(hashtext(?))", Boolean.class, lockName))) {
      return 0;
    }
    List<Row> rows =
        jdbc.query(
            "select id, event_type, payload from outbox where sent_at is null and error is null order by id limit 50 for update skip locked",
            (rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3)));
    for (Row row : rows) {
      boolean held = CrashPoints.outboxHolds(row.type());
      if (held) {
        CrashPoints.reached(CrashPoints.OUTBOX_BEFORE_PUBLISH, row.type() + " row " + row.id());
      }
      try {
        publisher.publish(read(row));
      } catch (RuntimeException e) {
        if (!neverPublishable(e)) {
          throw e; // the broker is away: this row, and the ones after it, wait for the next pass
        }
        log.error("outbox row {} ({}) can never be published and is set aside: {}", row.id(), row.type(), e.getMessage());
        jdbc.update("update outbox set error = ? where id = ?", String.valueOf(e.getMessage()), row.id());
        setAside.increment();
        continue;
      }
      if (held) {
        CrashPoints.reached(CrashPoints.OUTBOX_AFTER_PUBLISH, row.type() + " row " + row.id());
      }
      jdbc.update("update outbox set sent_at = now() where id = ?", row.id());
    }
    return rows.size();
  }

  private static EdgeloopEvent read(Row row) {
    EventType type =
        EventType.fromType(row.type()).orElseThrow(() -> new IllegalArgumentException("unknown event type " + row.type()));
    try {
      return JSON.readValue(row.payload(), type.dataClass());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("unreadable " + row.type() + ": " + e.getMessage(), e);
    }
  }

  /** Refused by its schema, unreadable, or larger than the broker takes: trying again cannot help. */
  private static boolean neverPublishable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException || t instanceof RecordTooLargeException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void start() {
    loop = loops.start("outbox relay", sweepInterval, () -> relay() > 0);
  }

  @Override
  public void stop() {
    PollLoop current = loop;
    loop = null;
    if (current != null) {
      current.stop();
    }
  }

  @Override
  public boolean isRunning() {
    return loop != null;
  }

  private record Row(long id, String type, String payload) {}
}
