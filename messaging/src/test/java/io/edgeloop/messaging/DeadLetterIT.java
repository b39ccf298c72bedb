package io.edgeloop.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.EventMother;
import io.edgeloop.contracts.ReceivedEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A poison record goes to the service's dead-letter topic with the error, and the next good record is processed. */
@SpringBootTest(
    classes = MessagingTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "spring.cloud.function.definition=sink",
      "spring.cloud.stream.bindings.sink-in-0.destination=dlq-test.in",
      "spring.cloud.stream.bindings.sink-in-0.group=messaging-test"
    })
class DeadLetterIT {

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    registry.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
  }

  @Autowired MessagingTestApp app;
  @Autowired io.micrometer.core.instrument.MeterRegistry meters;

  @Test
  void shouldDeadLetterPoisonAndKeepConsuming() throws Exception {
    assertThat(meters.find("edgeloop.events.dead.lettered").tag("binding", "dlq-test.in").counter())
        .as("the counter exists before any dead letter").isNotNull();

    EventCodec codec = new EventCodec();
    ProducerRecord<String, byte[]> good = codec.toRecord(EventMother.runFailed(), URI.create("urn:test"));
    try (KafkaProducer<String, byte[]> producer = EdgeloopKafka.plainProducer()) {
      producer.send(new ProducerRecord<>("dlq-test.in", "k", "this is not a cloud event".getBytes(StandardCharsets.UTF_8))).get();
      producer.send(new ProducerRecord<>("dlq-test.in", null, good.key(), good.value(), good.headers())).get();
    }

    ReceivedEvent<?> received = app.received.poll(60, TimeUnit.SECONDS);
    assertThat(received).isNotNull();
    assertThat(received.data()).isEqualTo(EventMother.runFailed());

    List<ConsumerRecord<String, byte[]>> dead =
        EdgeloopKafka.read("edgeloop.dlq.messaging-test", 1, Duration.ofSeconds(30));
    assertThat(dead).hasSize(1);
    assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("this is not a cloud event");
    assertThat(new String(dead.get(0).headers().lastHeader("x-exception-message").value(), StandardCharsets.UTF_8))
        .contains("not a CloudEvent");
    assertThat(app.received).isEmpty();
    assertThat(meters.counter("edgeloop.events.dead.lettered", "binding", "dlq-test.in").count()).isEqualTo(1.0);
    assertThat(meters.counter("edgeloop.events.received", "type", "edgeloop.run.failed.v1").count()).isEqualTo(1.0);
  }
}
