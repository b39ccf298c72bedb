package io.edgeloop.ingest.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.contracts.DataRejected;
import io.edgeloop.contracts.DataSource;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.RejectionReason;
import io.edgeloop.contracts.WireValues;
import io.edgeloop.messaging.loop.PollLoop;
import io.edgeloop.messaging.loop.PollLoops;
import io.edgeloop.messaging.outbox.Outbox;
import io.edgeloop.storage.dataset.DatasetJson;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rejections and their DataRejected, made durable before anyone is told: the reason file written
 * beside the quarantined original holds the whole event (its {@code rejectedAt} included, so its id
 * is fixed), and {@link #record} puts the event in the outbox together with a {@code rejection} row
 * keyed by the event id, in one transaction. The outbox relay then publishes it until the broker has
 * it. A record that fails (the database away for a moment) is kept in memory and retried by the
 * loop {@value #LOOP} with backoff; a record lost with the process (killed between the move and the
 * record) is found again by the start-up sweep of the quarantine areas, which records every reason
 * file whose row is missing. The same rejection recorded twice is recorded once.
 */
public class Rejections {
  static final String LOOP = "ingest rejections";
  private static final Logger log = LoggerFactory.getLogger(Rejections.class);
  /**
   * Marks a reason file whose DataRejected goes through the outbox, so the sweep records only those:
   * files quarantined before this version were announced directly (or lost) and are left alone.
   */
  private static final String MARKER = "announcement";
  private static final String OUTBOX = "outbox";
  /** Longer messages (a schema of thousands of columns) are cut, so the event always fits the broker. */
  static final int MAX_MESSAGE_CHARS = 4096;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final Outbox outbox;
  private final Queue<DataRejected> unrecorded = new ConcurrentLinkedQueue<>();
  private volatile PollLoop loop;

  public Rejections(JdbcTemplate jdbc, TransactionTemplate tx, Outbox outbox) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.outbox = outbox;
  }

  /** Retries records that failed, with backoff, reported on health as {@value #LOOP}. */
  public void start(PollLoops loops, Duration interval) {
    loop = loops.start(LOOP, interval, this::recordUnrecorded);
  }

  public void stop() {
    PollLoop current = loop;
    loop = null;
    if (current != null) {
      current.stop();
    }
  }

  /**
   * Queues the announcement of {@code event}: recorded now, or (when the database fails) kept and
   * recorded by the retry loop. Never throws: the input is already in quarantine.
   */
  public void announce(DataRejected event) {
    try {
      record(event);
    } catch (IllegalArgumentException e) { // invalid by its schema, or too large: trying again cannot help
      log.error("DataRejected for {} can never be published and is not recorded: {}", event.quarantineUri(), e.getMessage());
    } catch (RuntimeException e) {
      log.warn("DataRejected for {} not recorded yet, will retry: {}", event.quarantineUri(), e.toString());
      unrecorded.add(event);
      PollLoop current = loop;
      if (current != null) {
        current.wakeUp();
      }
    }
  }

  /** Puts {@code event} in the outbox unless a rejection with its id is already there; true when it was new. */
  public boolean record(DataRejected event) {
    String id = EventCodec.eventId(event);
    return Boolean.TRUE.equals(tx.execute(status -> {
      int added = jdbc.update("insert into rejection (event_id, dataset, reason_code, quarantine_uri, rejected_at) values (?, ?, ?, ?, ?)"
              + " on conflict (event_id) do nothing", id, event.dataset(), event.reasonCode().wire(), event.quarantineUri(),
          Timestamp.from(event.rejectedAt()));
      if (added == 1) {
        outbox.add(event);
      }
      return added == 1;
    }));
  }

  /** Whether a rejection with {@code event}'s id is recorded. */
  public boolean recorded(DataRejected event) {
    Integer rows = jdbc.queryForObject("select count(*) from rejection where event_id = ?", Integer.class, EventCodec.eventId(event));
    return rows != null && rows > 0;
  }

  /** Rejections whose record failed and waits for the retry loop. */
  public int unrecorded() {
    return unrecorded.size();
  }

  private boolean recordUnrecorded() {
    DataRejected next;
    while ((next = unrecorded.peek()) != null) {
      record(next); // throws while the database is away: the loop backs off and tries again
      unrecorded.remove();
      log.info("DataRejected for {} recorded after a retry", next.quarantineUri());
    }
    return false;
  }

  /** The reason file's content: why, what, and when (the time is part of the event's identity). */
  public static byte[] reasonJson(IngestItem item, String reasonCode, String message, Instant rejectedAt) throws IOException {
    ObjectNode reason = DatasetJson.mapper().createObjectNode();
    reason.put("reasonCode", reasonCode);
    reason.put("message", shortened(message));
    reason.put("dataset", item.dataset());
    reason.putObject("source").put("kind", item.kind()).put("location", item.location()).put("item", item.name());
    reason.put("rejectedAt", rejectedAt.toString());
    reason.put(MARKER, OUTBOX);
    return DatasetJson.mapper().writeValueAsBytes(reason);
  }

  /** {@code message}, cut to {@value #MAX_MESSAGE_CHARS} characters. */
  public static String shortened(String message) {
    if (message == null || message.length() <= MAX_MESSAGE_CHARS) {
      return message;
    }
    return message.substring(0, MAX_MESSAGE_CHARS) + "... (" + (message.length() - MAX_MESSAGE_CHARS) + " more characters)";
  }

  /**
   * The DataRejected a reason file stands for, the original being quarantined at {@code
   * quarantineUri}; empty for a reason file this service did not write for the outbox (an older
   * version's, or anything else found there).
   */
  public static Optional<DataRejected> fromReasonJson(byte[] json, String quarantineUri) {
    try {
      JsonNode reason = DatasetJson.mapper().readTree(json);
      if (reason == null || !OUTBOX.equals(reason.path(MARKER).asText())) {
        return Optional.empty();
      }
      JsonNode source = reason.path("source");
      return Optional.of(new DataRejected(reason.path("dataset").asText(),
          new DataSource(source.path("kind").asText(), source.path("location").asText(), source.path("item").asText(null)),
          WireValues.parse(RejectionReason.class, reason.path("reasonCode").asText()), reason.path("message").asText(),
          quarantineUri, Instant.parse(reason.path("rejectedAt").asText())));
    } catch (IOException | RuntimeException e) {
      log.warn("not a reason file of this service ({}): {}", quarantineUri, e.toString());
      return Optional.empty();
    }
  }
}
