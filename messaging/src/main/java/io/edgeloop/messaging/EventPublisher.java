package io.edgeloop.messaging;

import io.edgeloop.contracts.EdgeloopEvent;
import io.edgeloop.contracts.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Publishes edgeloop events from REST handlers, schedulers and services: the CloudEvents SDK
 * writes the binary-mode record (via {@link EventCodec}), and {@link StreamBridge} sends it to the
 * type's topic with the partition key as record key. Sends are synchronous (see the messaging
 * defaults), so a caller that returns normally knows the broker has the event.
 */
public class EventPublisher {
  private final StreamBridge bridge;
  private final EventCodec codec;
  private final URI source;
  private final MeterRegistry meters;
  private final long maxEventBytes;

  public EventPublisher(StreamBridge bridge, EventCodec codec, URI source, MeterRegistry meters, long maxEventBytes) {
    this.bridge = bridge;
    this.codec = codec;
    this.source = source;
    this.meters = meters;
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * Publishes {@code event}; returns its CloudEvents id (derived from its natural key).
   *
   * @throws EventTooLargeException when its data passes {@code edgeloop.messaging.max-event-bytes}
   */
  public String publish(EdgeloopEvent event) {
    ProducerRecord<String, byte[]> record = codec.toRecord(event, source);
    if (record.value().length > maxEventBytes) {
      throw new EventTooLargeException(event.eventType().type(), record.value().length, maxEventBytes);
    }
    MessageBuilder<byte[]> message =
        MessageBuilder.withPayload(record.value())
            .setHeader(KafkaHeaders.KEY, record.key().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String id = null;
    for (Header header : record.headers()) {
      message.setHeader(header.key(), header.value());
      if (header.key().equals("ce_id")) {
        id = new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    Message<byte[]> built = message.build();
    if (!bridge.send(record.topic(), built)) {
      throw new IllegalStateException("the binder refused " + event.eventType().type() + " for " + record.topic());
    }
    meters.counter("edgeloop.events.published", "type", event.eventType().type()).increment();
    return id;
  }

  public URI source() {
    return source;
  }
}
