package io.edgeloop.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.ReceivedEvent;
import io.edgeloop.contracts.RunFailed;
import io.edgeloop.contracts.RunFailureReason;
import io.edgeloop.contracts.RunPhase;
import io.edgeloop.contracts.Topics;
import io.edgeloop.launcher.cli.StackInfo;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code edgeloop dlq list|show|replay} as an operator runs it (each call its own JVM, through the
 * {@code ./edgeloop} script, no flags: the broker comes from {@code .edgeloop/stack.json}) against a
 * real broker (one-command mode's embedded KRaft server) and dead letters written by the messaging
 * module's real dead-letter path: a service whose handler refuses an event as poison, and a record
 * that is no event at all. Once the service is mended, a replay puts the event back on its topic as
 * it was and the service handles it; a second replay is refused unless forced.
 */
class DeadLetterCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVICE = "dlq-it-service";
  private static final String DLQ = Topics.deadLetters(SERVICE);

  @TempDir Path home;

  @Test
  void shouldListShowAndReplayDeadLettersOntoTheirTopicOnceUnlessForced() throws Exception {
    Path data = Files.createDirectories(home.resolve(".edgeloop"));
    try (EmbeddedBroker broker = EmbeddedBroker.start(data.resolve("kafka"), EmbeddedBroker.choosePort(0))) {
      String kafka = broker.bootstrapServers();
      StackInfo.of("dlq-it", kafka, Map.of(), null, null).write(data);
      RunFailed failed = new RunFailed("run-dlq-1", "turbofan-rul", RunPhase.RUNNING, RunFailureReason.EXIT_CODE, "exit code 2",
          Instant.parse("2026-12-02T08:00:00Z"));
      ProducerRecord<String, byte[]> event = new EventCodec().toRecord(failed, URI.create("urn:edgeloop:dlq-it"));
      try (ConfigurableApplicationContext context = DeadLetteringService.start(SERVICE, kafka, Topics.RUN_FAILED)) {
        DeadLetteringService service = context.getBean(DeadLetteringService.class);
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
          producer.send(new ProducerRecord<>(Topics.RUN_FAILED, "junk-key", "this is not an event".getBytes(StandardCharsets.UTF_8))).get();
          awaitRecords(kafka, DLQ, 1);
          producer.send(new ProducerRecord<>(Topics.RUN_FAILED, null, event.key(), event.value(), event.headers())).get();
        }
        List<ConsumerRecord<byte[], byte[]>> dead = awaitRecords(kafka, DLQ, 2);
        String junkRef = ref(dead.stream().filter(r -> r.headers().lastHeader("ce_id") == null).findFirst().orElseThrow());
        String eventRef = ref(dead.stream().filter(r -> r.headers().lastHeader("ce_id") != null).findFirst().orElseThrow());
        String eventId = EventCodec.eventId(failed);

        StackProcess.Result list = cli("dlq", "list");
        System.out.println("edgeloop dlq list\n" + list.out());
        List<String> rows = list.out().lines().toList();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).startsWith("REF").contains("FROM", "TYPE", "EVENT", "REASON", "AGE", "REPLAYED");
        assertThat(rows.get(1)).as("oldest first, newest last").startsWith(junkRef).contains(Topics.RUN_FAILED, "InvalidEventException: not a CloudEvent");
        assertThat(rows.get(2)).startsWith(eventRef)
            .contains(Topics.RUN_FAILED, "edgeloop.run.failed.v1", eventId.substring(0, 8), "PoisonEventException: run run-dlq-1 names no");
        assertThat(rows.get(2)).as("not replayed").doesNotContain("ago");

        JsonNode listed = JSON.readTree(cli("dlq", "list", "-o", "json").out());
        assertThat(listed).hasSize(2);
        JsonNode eventRow = listed.get(1);
        assertThat(eventRow.path("ref").asText()).isEqualTo(eventRef);
        assertThat(eventRow.path("topic").asText()).isEqualTo(DLQ);
        assertThat(eventRow.path("originalTopic").asText()).isEqualTo(Topics.RUN_FAILED);
        assertThat(eventRow.path("eventType").asText()).isEqualTo("edgeloop.run.failed.v1");
        assertThat(eventRow.path("eventId").asText()).isEqualTo(eventId);
        assertThat(eventRow.path("key").asText()).isEqualTo(event.key());
        assertThat(eventRow.path("exception").asText()).isEqualTo("PoisonEventException");
        assertThat(eventRow.path("message").asText()).isEqualTo("run run-dlq-1 names no experiment this service has");
        assertThat(eventRow.path("replayed").isNull()).isTrue();
        assertThat(JSON.readTree(cli("-o", "json", "dlq", "list", "--limit", "1").out())).hasSize(1);
        assertThat(JSON.readTree(cli("dlq", "list", "--topic", SERVICE, "-o", "json").out())).hasSize(2);

        String shown = cli("dlq", "show", eventRef).out();
        System.out.println("edgeloop dlq show " + eventRef + "\n" + shown);
        assertThat(shown).contains("dead letter:", eventRef, "from:", Topics.RUN_FAILED + " at ", "type:", "edgeloop.run.failed.v1",
            "event id:", eventId, "exception:", "PoisonEventException", "replayed:", "no", "headers:", "ce_id = " + eventId,
            "x-exception-stacktrace = ", "value:", "\"runId\" : \"run-dlq-1\"");
        assertThat(cli("dlq", "show", junkRef).out()).contains("value:", "20 bytes, not JSON: this is not an event", "key:", "junk-key");
        JsonNode detail = JSON.readTree(cli("dlq", "show", eventRef, "-o", "json").out());
        assertThat(detail.path("value").path("runId").asText()).isEqualTo("run-dlq-1");
        assertThat(detail.path("headers").findValuesAsText("name")).contains("ce_type", "ce_id", "x-original-topic", "x-exception-message");

        // The operator mends the cause and puts the event back.
        service.mend();
        StackProcess.Result replayed = cli("dlq", "replay", eventRef);
        assertThat(replayed.out()).startsWith("replayed " + eventRef + " -> " + Topics.RUN_FAILED + "/").contains(eventId);
        ReceivedEvent<RunFailed> handled = service.handled.poll(60, TimeUnit.SECONDS);
        assertThat(handled).as("the service consumed the replayed event").isNotNull();
        assertThat(handled.data()).isEqualTo(failed);
        assertThat(handled.id()).isEqualTo(eventId);

        List<ConsumerRecord<byte[], byte[]>> back = replays(kafka, eventRef);
        assertThat(back).hasSize(1);
        ConsumerRecord<byte[], byte[]> put = back.get(0);
        assertThat(new String(put.key(), StandardCharsets.UTF_8)).isEqualTo(event.key());
        assertThat(put.value()).isEqualTo(event.value());
        for (Header original : event.headers()) {
          assertThat(put.headers().lastHeader(original.key())).as(original.key()).isNotNull();
          assertThat(put.headers().lastHeader(original.key()).value()).as(original.key()).isEqualTo(original.value());
        }
        assertThat(put.headers().toArray()).extracting(Header::key).noneMatch(k -> k.startsWith("x-exception-") || k.startsWith("x-original-"));

        JsonNode after = JSON.readTree(cli("dlq", "list", "-o", "json").out());
        assertThat(after.get(1).path("replayed").path("topic").asText()).isEqualTo(Topics.RUN_FAILED);
        assertThat(after.get(1).path("replayed").path("offset").asLong()).isEqualTo(put.offset());
        assertThat(after.get(0).path("replayed").isNull()).isTrue();
        assertThat(cli("dlq", "list").out().lines().toList().get(2).stripTrailing()).endsWith("ago");
        assertThat(cli("dlq", "show", eventRef).out()).contains("replayed:", "to " + Topics.RUN_FAILED + "/" + put.partition() + ":" + put.offset());

        StackProcess.Result again = StackProcess.run(home, "dlq", "replay", eventRef);
        assertThat(again.exit()).as(again.toString()).isEqualTo(1);
        assertThat(again.out()).isEmpty();
        assertThat(again.err()).startsWith("edgeloop: already replayed: " + eventRef + " (to " + Topics.RUN_FAILED + "/")
            .endsWith("; --force replays again, nothing was replayed now\n").hasLineCount(1);
        assertThat(replays(kafka, eventRef)).as("nothing replayed by the refused call").hasSize(1);

        assertThat(cli("dlq", "replay", eventRef, "--force").out()).startsWith("replayed " + eventRef);
        assertThat(replays(kafka, eventRef)).hasSize(2);
        assertThat(service.handled.poll(60, TimeUnit.SECONDS)).as("handled again (a real service drops it by its id)").isNotNull();

        // --all takes what was not replayed yet: the record that is no event (dead-lettered again, as it still is none).
        JsonNode all = JSON.readTree(cli("dlq", "replay", "--all", "-o", "json").out());
        assertThat(all).hasSize(1);
        assertThat(all.get(0).path("deadLetter").asText()).isEqualTo(junkRef);
        List<ConsumerRecord<byte[], byte[]>> again3 = awaitRecords(kafka, DLQ, 3);
        assertThat(new String(again3.get(2).headers().lastHeader("x-replayed-from").value(), StandardCharsets.UTF_8)).isEqualTo(junkRef);

        for (String[] bad : new String[][] {{"dlq", "show", DLQ + "/0:999"}, {"dlq", "replay", SERVICE + "/7:0"}, {"dlq", "replay", "nonsense"}}) {
          StackProcess.Result refused = StackProcess.run(home, bad);
          assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
          assertThat(refused.out()).isEmpty();
          assertThat(refused.err()).startsWith("edgeloop: ").hasLineCount(1);
        }
        assertThat(StackProcess.run(home, "dlq", "show", DLQ + "/0:999").err()).isEqualTo("edgeloop: no dead letter " + DLQ + "/0:999 (dlq list shows them)\n");
        assertThat(StackProcess.run(home, "dlq", "replay", "nonsense").err()).startsWith("edgeloop: 'nonsense' is not a dead letter reference");
      }
    }
  }

  @Test
  void shouldSayInOneLineThatTheStackIsNotRunningWithoutClientLogs() throws Exception {
    Path data = Files.createDirectories(home.resolve(".edgeloop"));
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    int closed = EmbeddedBroker.freePort();
    new StackInfo("dlq-it", gone.pid(), "127.0.0.1:" + closed, Map.of(), null, null, Instant.now().toString()).write(data);

    StackProcess.Result result = StackProcess.run(home, "dlq", "list");

    assertThat(result.exit()).as(result.toString()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    String said = "edgeloop: no Kafka broker answers at 127.0.0.1:" + closed + ": the stack that wrote .edgeloop/stack.json (pid "
        + gone.pid() + ") is not running any more: start it with ./edgeloop up\n";
    assertThat(result.err()).as("one line, no client log").isEqualTo(said);
    StackProcess.Result tail = StackProcess.run(home, "events", "tail");
    assertThat(tail.exit()).as(tail.toString()).isEqualTo(1);
    assertThat(tail.err()).as("events tail: the same one line").isEqualTo(said);
  }

  /** A CLI call that must succeed: exit 0 and nothing on stderr. */
  private StackProcess.Result cli(String... args) throws Exception {
    StackProcess.Result result = StackProcess.run(home, args);
    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.err()).as(result.toString()).isEmpty();
    return result;
  }

  private static String ref(ConsumerRecord<?, ?> record) {
    return record.topic() + "/" + record.partition() + ":" + record.offset();
  }

  private static KafkaProducer<String, byte[]> producer(String kafka) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka), new StringSerializer(),
        new org.apache.kafka.common.serialization.ByteArraySerializer());
  }

  /** The records on {@code topic} that a replay of {@code ref} put there. */
  private static List<ConsumerRecord<byte[], byte[]>> replays(String kafka, String ref) {
    return readAll(kafka, Topics.RUN_FAILED).stream()
        .filter(r -> r.headers().lastHeader("x-replayed-from") != null
            && ref.equals(new String(r.headers().lastHeader("x-replayed-from").value(), StandardCharsets.UTF_8)))
        .toList();
  }

  /** Waits until {@code topic} holds at least {@code count} records; all of them, in timestamp order. */
  private static List<ConsumerRecord<byte[], byte[]>> awaitRecords(String kafka, String topic, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    List<ConsumerRecord<byte[], byte[]>> records = List.of();
    while (System.nanoTime() < deadline) {
      records = readAll(kafka, topic);
      if (records.size() >= count) {
        return records;
      }
      Thread.sleep(300);
    }
    throw new AssertionError(topic + " holds " + records.size() + " records, not " + count + ", after 90 s");
  }

  /** Every record of {@code topic} (which may not exist yet), with a plain consumer and no group. */
  private static List<ConsumerRecord<byte[], byte[]>> readAll(String kafka, String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.listTopics(Duration.ofSeconds(10)).getOrDefault(topic, List.of()).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      if (partitions.isEmpty()) {
        return records;
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    records.sort(java.util.Comparator.comparingLong(ConsumerRecord::timestamp));
    return records;
  }
}
