package io.edgeloop.messaging.dedupe;

import io.edgeloop.contracts.ReceivedEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The events a consumer has already acted on, in its own schema's {@code processed_event} table.
 * Event ids come from natural keys, so a redelivery or a re-announcement of the same fact has the
 * same id: recording it in the transaction of the effect makes the effect happen once.
 */
public class ProcessedEvents {
  private final JdbcTemplate jdbc;

  public ProcessedEvents(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Records {@code event} as processed in the caller's transaction; returns false when it was
   * processed before (the caller then does nothing). Rolled back with the effect, so a failed
   * attempt leaves the event to be processed again.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public boolean firstDelivery(ReceivedEvent<?> event) {
    return jdbc.update("insert into processed_event (event_id) values (?) on conflict do nothing", event.id()) == 1;
  }
}
