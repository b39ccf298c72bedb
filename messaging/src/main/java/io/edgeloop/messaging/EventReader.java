package io.edgeloop.messaging;

import io.edgeloop.contracts.EdgeloopEvent;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.ReceivedEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * Reads a consumed {@code Message<byte[]>} as an edgeloop event. The binder hands over the raw
 * record value and headers; the CloudEvents SDK parses them (through {@link EventCodec}). A record
 * that is not a valid event throws {@link io.edgeloop.contracts.InvalidEventException}, which the
 * binder turns into a dead letter with the message in its {@code x-exception-message} header.
 */
public class EventReader {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EventReader.class);
  private final EventCodec codec;
  private final MeterRegistry meters;

  public EventReader(EventCodec codec, MeterRegistry meters) {
    this.codec = codec;
    this.meters = meters;
  }

  public ReceivedEvent<?> read(Message<byte[]> message) {
    RecordHeaders headers = new RecordHeaders();
    MessageHeaders springHeaders = message.getHeaders();
    for (Map.Entry<String, Object> header : springHeaders.entrySet()) {
      String key = header.getKey();
      if (key.startsWith("ce_") || key.equals("content-type")) {
        headers.add(key, bytes(header.getValue()));
      }
    }
    if (headers.lastHeader("content-type") == null && springHeaders.get(MessageHeaders.CONTENT_TYPE) != null) {
      headers.add("content-type", bytes(springHeaders.get(MessageHeaders.CONTENT_TYPE)));
    }
    return codec.decode(headers, message.getPayload());
  }

  /**
   * Reads {@code message} as an event of {@code type}, hands it to {@code handler}, and counts it in
   * {@code edgeloop.events.received} once handled. A record that is not such an event, or whose
   * handler throws, is not counted: the binder retries it and then dead-letters it.
   */
  public <E extends EdgeloopEvent> void handle(Message<byte[]> message, Class<E> type, Consumer<ReceivedEvent<E>> handler) {
    ReceivedEvent<E> event = read(message, type);
    log.debug("received {} id={} from {}: {}", event.type().type(), event.id(), event.source(), event.data());
    handler.accept(event);
    meters.counter("edgeloop.events.received", "type", event.type().type()).increment();
  }

  /** Reads and checks the type in one step, for handlers bound to one topic. */
  public <E extends EdgeloopEvent> ReceivedEvent<E> read(Message<byte[]> message, Class<E> type) {
    return read(message).expect(type);
  }

  private static byte[] bytes(Object value) {
    return value instanceof byte[] b ? b : String.valueOf(value).getBytes(StandardCharsets.UTF_8);
  }
}
