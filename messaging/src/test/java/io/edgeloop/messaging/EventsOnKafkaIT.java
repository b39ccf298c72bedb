package io.edgeloop.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.contracts.EdgeloopEvent;
import io.edgeloop.contracts.EventMother;
import io.edgeloop.contracts.EventSchemas;
import io.edgeloop.contracts.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.edgeloop.contracts.Topics;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every event type goes through a real broker via the services' publisher; a plain Kafka consumer
 * (no edgeloop code) checks what other systems would see: binary-mode headers, the key, and data
 * that validates against the schema shipped in the contracts module.
 */
@SpringBootTest(classes = MessagingTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class EventsOnKafkaIT {

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    registry.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
  }

  @Autowired EventPublisher publisher;

  @Test
  void shouldPublishEveryEventTypeAsBinaryModeCloudEventWithKeyAndValidData() throws Exception {
    EventSchemas schemas = new EventSchemas();
    ObjectMapper json = new ObjectMapper();
    Map<EventType, String> ids = new EnumMap<>(EventType.class);
    for (EdgeloopEvent event : EventMother.oneOfEach()) {
      ids.put(event.eventType(), publisher.publish(event));
    }

    Map<String, ConsumerRecord<String, byte[]>> byTopic = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = EdgeloopKafka.plainConsumer(List.copyOf(Topics.all()))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (byTopic.size() < EventType.values().length && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> byTopic.put(r.topic(), r));
      }
    }

    for (EdgeloopEvent event : EventMother.oneOfEach()) {
      EventType type = event.eventType();
      ConsumerRecord<String, byte[]> record = byTopic.get(type.topic());
      assertThat(record).as(type.topic()).isNotNull();
      assertThat(record.key()).isEqualTo(event.partitionKey());
      assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
      assertThat(header(record, "ce_id")).isEqualTo(ids.get(type));
      assertThat(header(record, "ce_type")).isEqualTo(type.type());
      assertThat(header(record, "ce_source")).isEqualTo("urn:edgeloop:messaging-test");
      assertThat(header(record, "ce_subject")).isEqualTo(event.partitionKey());
      assertThat(header(record, "ce_time")).isNotBlank();
      assertThat(header(record, "ce_dataschema")).isEqualTo(type.schemaUri().toString());
      assertThat(header(record, "content-type")).isEqualTo("application/json");
      assertThat(schemas.validate(type, json.readTree(record.value()))).as(type.type()).isEmpty();
    }
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
