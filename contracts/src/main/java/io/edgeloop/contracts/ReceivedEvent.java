package io.edgeloop.contracts;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * A decoded event with its envelope. Delivery is at least once: consumers are idempotent on {@link
 * #id()} (or on a natural key of the data).
 */
public record ReceivedEvent<T extends EdgeloopEvent>(
    String id, EventType type, URI source, OffsetDateTime time, T data) {

  public ReceivedEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
  }

  /** This event, typed, when it carries {@code dataClass}; fails loudly otherwise. */
  @SuppressWarnings("unchecked")
  public <E extends EdgeloopEvent> ReceivedEvent<E> expect(Class<E> dataClass) {
    if (!dataClass.isInstance(data)) {
      throw new InvalidEventException(
          "expected " + EventType.of(dataClass).type() + " but got " + type.type() + " (id " + id + ")");
    }
    return (ReceivedEvent<E>) this;
  }
}
