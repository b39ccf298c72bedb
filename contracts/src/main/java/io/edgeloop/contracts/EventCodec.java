package io.edgeloop.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Turns event data into CloudEvents 1.0 in Kafka binary mode ({@code ce_*} headers, JSON data,
 * record key = {@link EdgeloopEvent#partitionKey()}) and back. The CloudEvents Java SDK writes and
 * reads the envelope; this class adds the edgeloop rules: one topic per type, JSON Schema
 * validation on both sides, unknown data fields tolerated.
 */
public final class EventCodec {
  public static final String JSON = "application/json";

  private final ObjectMapper mapper;
  private final EventSchemas schemas;

  public EventCodec() {
    this(new EventSchemas());
  }

  public EventCodec(EventSchemas schemas) {
    this.schemas = schemas;
    this.mapper = objectMapper();
  }

  /** The JSON mapping used for event data: ISO-8601 times, unknown properties ignored. */
  public static ObjectMapper objectMapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
  }

  /**
   * The CloudEvents id of {@code data}: a name-based UUID of its type and natural key, so the same
   * fact announced twice (a re-publication after a crash, a replica's repeat) has the same id.
   */
  public static String eventId(EdgeloopEvent data) {
    return UUID.nameUUIDFromBytes((data.eventType().type() + "|" + data.naturalKey()).getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The CloudEvent of {@code data}, id from {@link #eventId}; fails when the data would not satisfy its own schema. */
  public CloudEvent encode(EdgeloopEvent data, URI source) {
    EventType type = data.eventType();
    JsonNode json = mapper.valueToTree(data);
    List<String> errors = schemas.validate(type, json);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("refusing to publish an invalid " + type.type() + ": " + errors);
    }
    try {
      return CloudEventBuilder.v1()
          .withId(eventId(data))
          .withSource(source)
          .withType(type.type())
          .withTime(OffsetDateTime.now(ZoneOffset.UTC))
          .withSubject(data.partitionKey())
          .withDataSchema(type.schemaUri())
          .withDataContentType(JSON)
          .withData(mapper.writeValueAsBytes(json))
          .build();
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + type.type(), e);
    }
  }

  /** The Kafka record for {@code data}: its type's topic, its partition key, binary-mode headers. */
  public ProducerRecord<String, byte[]> toRecord(EdgeloopEvent data, URI source) {
    return toRecord(encode(data, source), data.partitionKey());
  }

  public ProducerRecord<String, byte[]> toRecord(CloudEvent event, String key) {
    EventType type =
        EventType.fromType(event.getType())
            .orElseThrow(() -> new IllegalArgumentException("unknown event type " + event.getType()));
    return KafkaMessageFactory.createWriter(type.topic(), null, null, key).writeBinary(event);
  }

  /** Reads a Kafka record's headers and value as an edgeloop event, or explains why it is not one. */
  public ReceivedEvent<?> decode(Headers headers, byte[] value) {
    CloudEvent event;
    try {
      event = KafkaMessageFactory.createReader(headers, value).toEvent();
    } catch (RuntimeException e) {
      throw new InvalidEventException("not a CloudEvent: " + e.getMessage(), e);
    }
    return decode(event);
  }

  public ReceivedEvent<?> decode(CloudEvent event) {
    EventType type =
        EventType.fromType(event.getType())
            .orElseThrow(() -> new InvalidEventException("unknown event type '" + event.getType() + "' (id " + event.getId() + ")"));
    if (event.getData() == null) {
      throw new InvalidEventException(type.type() + " without data (id " + event.getId() + ")");
    }
    JsonNode json;
    try {
      json = mapper.readTree(event.getData().toBytes());
    } catch (IOException e) {
      throw new InvalidEventException(type.type() + " data is not JSON (id " + event.getId() + "): " + e.getMessage(), e);
    }
    List<String> errors = schemas.validate(type, json);
    if (!errors.isEmpty()) {
      throw new InvalidEventException(type.type() + " data violates its schema (id " + event.getId() + "): " + errors);
    }
    EdgeloopEvent data;
    try {
      data = mapper.treeToValue(json, type.dataClass());
    } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
      throw new InvalidEventException(type.type() + " data does not map (id " + event.getId() + "): " + e.getMessage(), e);
    }
    return new ReceivedEvent<>(event.getId(), type, event.getSource(), event.getTime(), data);
  }

  /** The JSON of {@code data}, as it travels. */
  public byte[] dataJson(EdgeloopEvent data) {
    try {
      return mapper.writeValueAsBytes(data);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
