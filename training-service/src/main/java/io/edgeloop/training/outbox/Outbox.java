package io.edgeloop.training.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.contracts.EdgeloopEvent;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.EventSchemas;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records an event to publish in the caller's database transaction, so that the state change and
 * the event commit (or roll back) together; {@link OutboxRelay} publishes it afterwards.
 */
@Component
public class Outbox {
  private static final ObjectMapper JSON = EventCodec.objectMapper();
  private final JdbcTemplate jdbc;
  private final OutboxRelay relay;

  private final EventSchemas schemas = new EventSchemas();

  public Outbox(JdbcTemplate jdbc, OutboxRelay relay) {
    this.jdbc = jdbc;
    this.relay = relay;
  }

  /** Adds {@code event} to the outbox; must run inside a transaction. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void add(EdgeloopEvent event) {
    try {
      String json = JSON.writeValueAsString(event);
      // An invalid event fails the state change it announces, rather than being stored and refused later.
      java.util.List<String> errors = schemas.validate(event.eventType(), JSON.readTree(json));
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("invalid " + event.eventType().type() + ": " + errors);
      }
      jdbc.update("insert into outbox (event_type, payload) values (?, ?)", event.eventType().type(), json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + event, e);
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            relay.wakeUp();
          }
        });
  }
}
