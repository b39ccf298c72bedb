package io.edgeloop.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.contracts.EdgeloopEvent;
import io.edgeloop.contracts.EventMother;
import io.edgeloop.contracts.EventSchemas;
import io.edgeloop.contracts.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
    for (EdgeloopEvent event : EventMother.oneOfEach()) {
      String id = publisher.publish(event);
      EventType type = event.eventType();

      List<ConsumerRecord<String, byte[]>> records = EdgeloopKafka.read(type.topic(), 1, Duration.ofSeconds(30));

      assertThat(records).as(type.topic()).hasSize(1);
      ConsumerRecord<String, byte[]> record = records.get(0);
      assertThat(record.key()).isEqualTo(event.partitionKey());
      assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
      assertThat(header(record, "ce_id")).isEqualTo(id);
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
