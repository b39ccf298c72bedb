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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A handler that fails for a while (its database is down) is retried until it succeeds, and the
 * event is handled once; one that keeps failing is dead-lettered after the retry time with the
 * error and everything needed to replay it; poison is dead-lettered at once, without retries.
 */
class RetryIT {

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    registry.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
  }

  static void send(String topic) throws Exception {
    ProducerRecord<String, byte[]> event = new EventCodec().toRecord(EventMother.runFailed(), URI.create("urn:test"));
    try (KafkaProducer<String, byte[]> producer = EdgeloopKafka.plainProducer()) {
      producer.send(new ProducerRecord<>(topic, null, event.key(), event.value(), event.headers())).get();
    }
  }

  static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Nested
  @SpringBootTest(
      classes = MessagingTestApp.class,
      webEnvironment = SpringBootTest.WebEnvironment.NONE,
      properties = {
        "spring.application.name=retry-outage",
        "spring.cloud.function.definition=flaky",
        "spring.cloud.stream.bindings.flaky-in-0.destination=retry-test.outage",
        "spring.cloud.stream.bindings.flaky-in-0.group=retry-outage",
        "edgeloop.messaging.retry.initial-interval=100ms",
        "edgeloop.messaging.retry.max-interval=400ms",
        "edgeloop.messaging.retry.max-duration=5m"
      })
  class OutageThatEnds {
    @Autowired MessagingTestApp app;

    @Test
    void shouldRetryUntilTheHandlerSucceedsAndHandleTheEventOnce() throws Exception {
      app.failuresLeft.set(6);
      send("retry-test.outage");

      ReceivedEvent<?> received = app.received.poll(60, TimeUnit.SECONDS);

      assertThat(received).isNotNull();
      assertThat(received.data()).isEqualTo(EventMother.runFailed());
      assertThat(app.attempts.get()).isEqualTo(7);
      assertThat(app.received.poll(2, TimeUnit.SECONDS)).as("handled once").isNull();
      assertThat(EdgeloopKafka.read("edgeloop.dlq.retry-outage", 1, Duration.ofSeconds(3))).isEmpty();
    }
  }

  @Nested
  @SpringBootTest(
      classes = MessagingTestApp.class,
      webEnvironment = SpringBootTest.WebEnvironment.NONE,
      properties = {
        "spring.application.name=retry-exhausted",
        "spring.cloud.function.definition=flaky",
        "spring.cloud.stream.bindings.flaky-in-0.destination=retry-test.exhausted",
        "spring.cloud.stream.bindings.flaky-in-0.group=retry-exhausted",
        "edgeloop.messaging.retry.initial-interval=100ms",
        "edgeloop.messaging.retry.max-interval=300ms",
        "edgeloop.messaging.retry.max-duration=3s"
      })
  class OutageThatOutlastsTheRetries {
    @Autowired MessagingTestApp app;
    @Autowired io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void shouldDeadLetterWithTheErrorAndTheOriginalEnvelopeAfterTheRetryTime() throws Exception {
      app.failuresLeft.set(Integer.MAX_VALUE);
      send("retry-test.exhausted");

      List<ConsumerRecord<String, byte[]>> dead = EdgeloopKafka.read("edgeloop.dlq.retry-exhausted", 1, Duration.ofSeconds(60));

      assertThat(dead).hasSize(1);
      ConsumerRecord<String, byte[]> letter = dead.get(0);
      assertThat(app.attempts.get()).as("retried for the whole retry time").isGreaterThan(5);
      assertThat(header(letter, "x-exception-message")).startsWith("the database is down");
      assertThat(header(letter, "x-original-topic")).isEqualTo("retry-test.exhausted");
      assertThat(header(letter, "ce_type")).isEqualTo("edgeloop.run.failed.v1");
      assertThat(header(letter, "ce_id")).isEqualTo(EventCodec.eventId(EventMother.runFailed()));
      assertThat(letter.key()).isEqualTo(EventMother.runFailed().partitionKey());
      assertThat(new EventCodec().decode(letter.headers(), letter.value()).data()).isEqualTo(EventMother.runFailed());
      assertThat(meters.counter("edgeloop.events.dead.lettered", "binding", "retry-test.exhausted").count()).isEqualTo(1.0);
      assertThat(app.received).isEmpty();
    }
  }

  @Nested
  @SpringBootTest(
      classes = MessagingTestApp.class,
      webEnvironment = SpringBootTest.WebEnvironment.NONE,
      properties = {
        "spring.application.name=retry-poison",
        "spring.cloud.function.definition=poisoned",
        "spring.cloud.stream.bindings.poisoned-in-0.destination=retry-test.poison",
        "spring.cloud.stream.bindings.poisoned-in-0.group=retry-poison",
        "edgeloop.messaging.retry.initial-interval=1s",
        "edgeloop.messaging.retry.max-duration=10m"
      })
  class Poison {
    @Autowired MessagingTestApp app;

    @Test
    void shouldDeadLetterPoisonAtOnceWithoutRetrying() throws Exception {
      send("retry-test.poison");

      List<ConsumerRecord<String, byte[]>> dead = EdgeloopKafka.read("edgeloop.dlq.retry-poison", 1, Duration.ofSeconds(30));

      assertThat(dead).hasSize(1);
      assertThat(header(dead.get(0), "x-exception-message")).isEqualTo("run run-42 names no experiment this service has");
      assertThat(app.attempts.get()).isEqualTo(1);
    }
  }
}
