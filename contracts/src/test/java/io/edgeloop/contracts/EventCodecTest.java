package io.edgeloop.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {
  private static final URI SOURCE = URI.create("urn:edgeloop:test");
  private final EventCodec codec = new EventCodec();

  static Iterable<EdgeloopEvent> events() {
    return EventMother.oneOfEach();
  }

  @Test
  void shouldCoverEveryEventType() {
    assertThat(EventMother.oneOfEach().stream().map(EdgeloopEvent::eventType))
        .containsExactly(EventType.values());
  }

  @ParameterizedTest
  @MethodSource("events")
  void shouldRoundTripThroughBinaryModeKafkaRecord(EdgeloopEvent event) {
    ProducerRecord<String, byte[]> record = codec.toRecord(event, SOURCE);

    assertThat(record.topic()).isEqualTo(event.eventType().topic());
    assertThat(record.key()).isEqualTo(event.partitionKey());
    assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
    assertThat(header(record, "ce_type")).isEqualTo(event.eventType().type());
    assertThat(header(record, "ce_source")).isEqualTo(SOURCE.toString());
    assertThat(header(record, "ce_id")).isNotBlank();
    assertThat(header(record, "content-type")).isEqualTo("application/json");

    ReceivedEvent<?> received = codec.decode(record.headers(), record.value());
    assertThat(received.data()).isEqualTo(event);
    assertThat(received.type()).isEqualTo(event.eventType());
    assertThat(received.id()).isEqualTo(header(record, "ce_id"));
  }

  @Test
  void shouldIgnoreUnknownDataFields() throws Exception {
    ObjectNode json = (ObjectNode) EventCodec.objectMapper().valueToTree(EventMother.dataLanded());
    json.put("addedInAFutureMinorRelease", "ignored");
    CloudEvent event = envelope("edgeloop.data.landed.v1", EventCodec.objectMapper().writeValueAsBytes(json));

    assertThat(codec.decode(event).data()).isEqualTo(EventMother.dataLanded());
  }

  @Test
  void shouldRejectDataThatViolatesTheSchemaNamingTheField() throws Exception {
    ObjectNode json = (ObjectNode) EventCodec.objectMapper().valueToTree(EventMother.dataLanded());
    json.remove("sha256");
    CloudEvent event = envelope("edgeloop.data.landed.v1", EventCodec.objectMapper().writeValueAsBytes(json));

    assertThatThrownBy(() -> codec.decode(event))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("sha256");
  }

  @Test
  void shouldRejectUnknownTypes() {
    CloudEvent event = envelope("com.example.other.v1", "{}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> codec.decode(event))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("com.example.other.v1");
  }

  @Test
  void shouldRejectNonJsonData() {
    CloudEvent event = envelope("edgeloop.run.failed.v1", "not json".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> codec.decode(event)).isInstanceOf(InvalidEventException.class).hasMessageContaining("not JSON");
  }

  @Test
  void shouldRejectRecordsWithoutCloudEventHeaders() {
    var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
    assertThatThrownBy(() -> codec.decode(headers, "{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith("not a CloudEvent");
  }

  @Test
  void shouldRefuseToPublishInvalidData() {
    DataRejected bad =
        new DataRejected("", new DataSource("share", "/x", "y"), RejectionReason.EMPTY, "m", null, EventMother.AT);
    assertThatThrownBy(() -> codec.encode(bad, SOURCE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dataset");
  }

  private static CloudEvent envelope(String type, byte[] data) {
    return CloudEventBuilder.v1()
        .withId("id-1")
        .withSource(SOURCE)
        .withType(type)
        .withDataContentType("application/json")
        .withData(data)
        .build();
  }

  private static String header(ProducerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
