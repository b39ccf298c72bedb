package io.edgeloop.messaging;

/**
 * An event whose record would pass {@code edgeloop.messaging.max-event-bytes}: refused before it is
 * written anywhere, so it can neither fail at the broker later nor hold back the events behind it.
 */
public class EventTooLargeException extends IllegalArgumentException {
  public EventTooLargeException(String type, long bytes, long limit) {
    super(type + " of " + bytes + " bytes is larger than the " + limit + " bytes an event may have"
        + " (edgeloop.messaging.max-event-bytes)");
  }
}
