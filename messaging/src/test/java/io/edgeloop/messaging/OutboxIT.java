package io.edgeloop.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.DataRejected;
import io.edgeloop.contracts.DataSource;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.EventMother;
import io.edgeloop.contracts.RejectionReason;
import io.edgeloop.contracts.RunFailed;
import io.edgeloop.contracts.RunFailureReason;
import io.edgeloop.contracts.RunPhase;
import io.edgeloop.contracts.ReceivedEvent;
import io.edgeloop.messaging.dedupe.ProcessedEvents;
import io.edgeloop.messaging.outbox.Outbox;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The shared outbox against a real PostgreSQL and a real broker: committed events go out in order
 * with their natural-key ids, rolled-back ones never do, a row that can never be published is set
 * aside without holding back the rows after it, and an event too large is refused before it is
 * stored. Dedupe records an event once per consumer, with the effect's transaction.
 */
@SpringBootTest(
    classes = MessagingTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "spring.application.name=outbox-test",
      "spring.cloud.function.definition=sink",
      "spring.cloud.stream.bindings.sink-in-0.destination=outbox-test.unused",
      "edgeloop.messaging.outbox.enabled=true",
      "edgeloop.messaging.outbox.sweep-interval=200ms",
      "edgeloop.messaging.max-event-bytes=4096",
      "spring.flyway.locations=classpath:db/migration/messaging-test",
      "edgeloop.database.embedded.enabled=true",
      "spring.autoconfigure.exclude="
    })
class OutboxIT {

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
    registry.add("edgeloop.data-dir", () -> Path.of("target", "outbox-it-" + UUID.randomUUID()).toAbsolutePath().toString());
  }

  @Autowired Outbox outbox;
  @Autowired ProcessedEvents processed;
  @Autowired TransactionTemplate tx;
  @Autowired JdbcTemplate jdbc;

  private static RunFailed failed(String experiment, int i) {
    return new RunFailed("run-" + i, experiment, RunPhase.RUNNING, RunFailureReason.EXIT_CODE, "exit " + i, Instant.EPOCH);
  }

  private static List<RunFailed> published(String experiment, int count) {
    List<ConsumerRecord<String, byte[]>> records = EdgeloopKafka.read("edgeloop.run-failed", 10_000, Duration.ofSeconds(5));
    return records.stream()
        .map(r -> new EventCodec().decode(r.headers(), r.value()).data())
        .filter(e -> e instanceof RunFailed f && f.experiment().equals(experiment))
        .map(RunFailed.class::cast)
        .toList();
  }

  @Test
  void shouldPublishCommittedEventsInOrderAndNeverRolledBackOnes() {
    String experiment = "order-" + UUID.randomUUID();
    tx.executeWithoutResult(s -> outbox.add(failed(experiment, 1)));
    tx.executeWithoutResult(s -> {
      outbox.add(failed(experiment, 2));
      s.setRollbackOnly();
    });
    tx.executeWithoutResult(s -> {
      outbox.add(failed(experiment, 3));
      outbox.add(failed(experiment, 4));
    });

    await().atMost(Duration.ofSeconds(30)).until(() -> published(experiment, 3).size() >= 3);
    assertThat(published(experiment, 3)).extracting(RunFailed::runId).containsExactly("run-1", "run-3", "run-4");
  }

  @Test
  void shouldSetAsideARowThatCanNeverBePublishedAndGoOnWithTheNextOnes() {
    String experiment = "aside-" + UUID.randomUUID();
    tx.executeWithoutResult(s -> outbox.add(failed(experiment, 1)));
    // A row written by an older version of the service that its schema now refuses.
    jdbc.update("insert into outbox (event_type, payload) values (?, ?)", "edgeloop.run.failed.v1",
        "{\"runId\":\"\",\"experiment\":\"" + experiment + "\",\"phase\":\"running\",\"reason\":\"exit_code\",\"failedAt\":\"1970-01-01T00:00:00Z\"}");
    tx.executeWithoutResult(s -> outbox.add(failed(experiment, 2)));

    await().atMost(Duration.ofSeconds(30)).until(() -> published(experiment, 2).size() >= 2);
    assertThat(published(experiment, 2)).extracting(RunFailed::runId).containsExactly("run-1", "run-2");
    await().atMost(Duration.ofSeconds(10)).until(() ->
        jdbc.queryForObject("select count(*) from outbox where payload like ? and error is not null", Long.class,
            "%" + experiment + "%") == 1);
  }

  @Test
  void shouldRefuseAnEventTooLargeBeforeStoringIt() {
    DataRejected huge = new DataRejected("big", new DataSource("share", "/s", "f.csv"), RejectionReason.BAD_VALUE,
        "x".repeat(10_000), null, Instant.EPOCH);
    long before = jdbc.queryForObject("select count(*) from outbox", Long.class);

    assertThatThrownBy(() -> tx.executeWithoutResult(s -> outbox.add(huge)))
        .isInstanceOf(EventTooLargeException.class)
        .hasMessageContaining("larger than the 4096 bytes");
    assertThat(jdbc.queryForObject("select count(*) from outbox", Long.class)).isEqualTo(before);
  }

  @Test
  void shouldRecordAnEventOnceAndForgetItWhenTheEffectRollsBack() {
    ReceivedEvent<?> event = new ReceivedEvent<>(UUID.randomUUID().toString(), EventMother.runFailed().eventType(), null, null,
        EventMother.runFailed());

    tx.executeWithoutResult(s -> {
      assertThat(processed.firstDelivery(event)).isTrue();
      s.setRollbackOnly();
    });
    Boolean afterRollback = tx.execute(s -> processed.firstDelivery(event));
    Boolean redelivery = tx.execute(s -> processed.firstDelivery(event));

    assertThat(afterRollback).as("the rolled-back effect left no trace").isTrue();
    assertThat(redelivery).as("a redelivery").isFalse();
  }
}
