package io.edgeloop.training.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.contracts.EdgeloopEvent;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.EventType;
import io.edgeloop.messaging.EventPublisher;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes pending outbox rows in order with the (synchronous) {@link EventPublisher} and marks
 * them sent. A crash between publish and mark re-publishes the row: delivery is at least once and
 * consumers are idempotent. Runs on commit (woken by {@link Outbox}) and every second as a sweep.
 * With several instances on one database, rows are locked ({@code skip locked}) and one instance
 * relays at a time (a transaction-scoped advisory lock), so a row is published by one instance, in order.
 */
@Component
public class OutboxRelay implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final ObjectMapper JSON = EventCodec.objectMapper();
  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final EventPublisher publisher;
  private final AtomicBoolean pending = new AtomicBoolean();
  private ScheduledExecutorService executor;

  public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, EventPublisher publisher) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.publisher = publisher;
  }

  /** Asks for a relay pass soon (after a commit that added rows). */
  public void wakeUp() {
    if (executor != null && pending.compareAndSet(false, true)) {
      executor.execute(this::relaySafely);
    }
  }

  /** Publishes every pending row; returns how many were sent. */
  public int relay() {
    pending.set(false);
    int sent = 0;
    while (true) {
      Integer batch = tx.execute(status -> relayBatch());
      if (batch == null || batch == 0) {
        return sent;
      }
      sent += batch;
    }
  }

  private int relayBatch() {
    // One relay at a time across the instances sharing the database, so rows go out in id order;
    // the lock ends with the transaction, and an instance that does not get it leaves the rows to the holder.
    if (!Boolean.TRUE.equals(jdbc.queryForObject("select pg_try_advisory_xact_lock(hashtext('edgeloop.training.outbox'))", Boolean.class))) {
      return 0;
    }
    List<Row> rows =
        jdbc.query(
            "select id, event_type, payload from outbox where sent_at is null and error is null order by id limit 50 for update skip locked",
            (rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3)));
    for (Row row : rows) {
      EdgeloopEvent event;
      try {
        EventType type =
            EventType.fromType(row.type()).orElseThrow(() -> new IllegalArgumentException("unknown event type " + row.type()));
        event = JSON.readValue(row.payload(), type.dataClass());
        publisher.publish(event);
      } catch (java.io.IOException | IllegalArgumentException e) {
        // Not publishable, ever (unreadable or refused by the schema): keep it for inspection, do not block the rows after it.
        log.error("outbox row {} ({}) cannot be published and is skipped: {}", row.id(), row.type(), e.getMessage());
        jdbc.update("update outbox set error = ? where id = ?", String.valueOf(e.getMessage()), row.id());
        continue;
      }
      jdbc.update("update outbox set sent_at = now() where id = ?", row.id());
    }
    return rows.size();
  }

  private void relaySafely() {
    try {
      relay();
    } catch (RuntimeException e) {
      log.warn("outbox relay failed, will retry: {}", e.toString());
    }
  }

  @Override
  public void start() {
    executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "outbox-relay"));
    executor.scheduleWithFixedDelay(this::relaySafely, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public void stop() {
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor = null;
  }

  @Override
  public boolean isRunning() {
    return executor != null;
  }

  private record Row(long id, String type, String payload) {}
}
