package io.edgeloop.messaging.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.contracts.EdgeloopEvent;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.EventSchemas;
import io.edgeloop.messaging.EventTooLargeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records an event to publish in the caller's database transaction, so that the state change and
 * the event commit (or roll back) together; {@link OutboxRelay} publishes it afterwards. An event
 * that could never be published (invalid by its schema, larger than the limit) fails the state
 * change it announces instead of being stored.
 */
public class Outbox {
  private static final ObjectMapper JSON = EventCodec.objectMapper();
  private final JdbcTemplate jdbc;
  private final OutboxRelay relay;
  private final EventSchemas schemas;
  private final long maxEventBytes;

  public Outbox(JdbcTemplate jdbc, OutboxRelay relay, EventSchemas schemas, long maxEventBytes) {
    this.jdbc = jdbc;
    this.relay = relay;
    this.schemas = schemas;
    this.maxEventBytes = maxEventBytes;
  }

  /** Adds {@code event} to the outbox; must run inside a transaction. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void add(EdgeloopEvent event) {
    String json;
    try {
      JsonNode tree = JSON.valueToTree(event);
      List<String> errors = schemas.validate(event.eventType(), tree);
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("invalid " + event.eventType().type() + ": " + errors);
      }
      json = JSON.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + event, e);
    }
    long bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxEventBytes) {
      throw new EventTooLargeException(event.eventType().type(), bytes, maxEventBytes);
    }
    jdbc.update("insert into outbox (event_type, payload) values (?, ?)", event.eventType().type(), json);
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            relay.wakeUp();
          }
        });
  }
}
