package io.edgeloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.contracts.DataRejected;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.ReceivedEvent;
import io.edgeloop.contracts.Topics;
import io.edgeloop.messaging.kafka.KafkaBrokerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow (service start-ups of about 40 s each, in JVMs of their own): a rejected input is announced
 * exactly once, with the reason and time of its reason file, when the broker is down while it is
 * quarantined (a real broker process, stopped and started again) and when the service is killed
 * with SIGKILL between the move to quarantine and the record of its DataRejected.
 */
class RejectionDeliveryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private final List<IngestProcess> processes = new ArrayList<>();
  private KafkaBrokerProcess broker;

  @AfterEach
  void stop() throws InterruptedException {
    for (IngestProcess p : processes) {
      p.kill();
    }
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void shouldAnnounceARejectionMadeWhileTheBrokerWasDownExactlyOnceWhenItIsBack() throws Exception {
    String dataset = "outage-" + UUID.randomUUID().toString().substring(0, 8);
    Path share = Files.createDirectories(dir.resolve("share"));
    broker = KafkaBrokerProcess.builder(Files.createDirectories(dir.resolve("broker"))).start();
    String bootstrap = broker.bootstrap("INTERNAL");
    // A send the broker does not confirm fails after 3 s (instead of the producer's own 2 minutes of
    // retries), so the outage below outlasts it: only a later retry can deliver the event.
    List<String> failFast = List.of("--spring.cloud.stream.kafka.binder.producer-properties.delivery.timeout.ms=3000",
        "--spring.cloud.stream.kafka.binder.producer-properties.request.timeout.ms=2000",
        "--spring.cloud.stream.kafka.binder.producer-properties.max.block.ms=3000");
    IngestProcess service = IngestProcess.start(bootstrap, dir.resolve("data"), dataset, share, List.of(), failFast, dir.resolve("service.log"));
    processes.add(service);
    await().atMost(Duration.ofSeconds(240)).until(() -> service.started() || !service.isAlive());
    assertThat(service.isAlive()).as("service died:\n%s", service.tail()).isTrue();
    Events events = new Events(bootstrap);
    // A first rejection while the broker is up: the binding to the topic exists before the outage.
    byte[] before = ragged(1);
    Files.write(share.resolve("before.txt"), before);
    await().atMost(Duration.ofSeconds(120)).until(() -> events.rejected(dataset).size() == 1);

    broker.stop();
    byte[] during = ragged(2);
    Files.write(share.resolve("during.txt"), during);
    Path quarantined = share.resolve(".quarantine/during.txt");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(quarantined) && Files.exists(reasonFile(quarantined)));
    assertThat(quarantined).hasBinaryContent(during);
    Thread.sleep(10_000); // the send fails (after 3 s) while the broker is away
    broker.start();

    await().atMost(Duration.ofSeconds(120)).until(() -> events.rejected(dataset).size() >= 2);
    Thread.sleep(3000); // more relay passes: nothing else may be announced
    List<DataRejected> rejected = events.rejected(dataset);
    assertThat(rejected).hasSize(2);
    assertMatchesReasonFile(rejected.get(1), quarantined, "during.txt");
    assertThat(service.isAlive()).isTrue();
  }

  @Test
  void shouldAnnounceARejectionExactlyOnceAfterAKillBetweenQuarantineAndRecord() throws Exception {
    String dataset = "qkill-" + UUID.randomUUID().toString().substring(0, 8);
    Path share = Files.createDirectories(dir.resolve("share"));
    Path halted = dir.resolve("halted");
    IngestEvents.start();

    IngestProcess first = IngestProcess.start(dir.resolve("data"), dataset, share,
        List.of("-Dedgeloop.ingest.test.halt-after-quarantine=" + halted), List.of(), dir.resolve("first.log"));
    processes.add(first);
    byte[] content = ragged(3);
    Files.write(share.resolve("bad.txt"), content);
    await().atMost(Duration.ofSeconds(240)).until(() -> Files.exists(halted) || !first.isAlive());
    assertThat(first.isAlive()).as("service died before the hook:\n%s", first.tail()).isTrue();

    first.kill(); // moved to quarantine, DataRejected not recorded
    Path quarantined = share.resolve(".quarantine/bad.txt");
    assertThat(quarantined).hasBinaryContent(content);
    assertThat(reasonFile(quarantined)).exists();
    assertThat(share.resolve("bad.txt")).doesNotExist();
    Thread.sleep(1000);
    assertThat(IngestEvents.rejected(dataset)).isEmpty();

    IngestProcess second = IngestProcess.start(dir.resolve("data"), dataset, share, List.of(), List.of(), dir.resolve("second.log"));
    processes.add(second);
    await().atMost(Duration.ofSeconds(240)).until(() -> !IngestEvents.rejected(dataset).isEmpty() || !second.isAlive());
    assertThat(second.isAlive()).as("restarted service died:\n%s", second.tail()).isTrue();
    Thread.sleep(3000); // more relay passes and share polls: nothing else may be announced

    List<DataRejected> rejected = IngestEvents.rejected(dataset);
    assertThat(rejected).hasSize(1);
    assertMatchesReasonFile(rejected.get(0), quarantined, "bad.txt");
    assertThat(second.log()).contains("before a restart without its DataRejected");
  }

  /** C-MAPSS lines, one of them a field short: rejected as {@code ragged_rows}. */
  private static byte[] ragged(long seed) {
    List<String> lines = new ArrayList<>(CmapssMother.lines(1, 5, seed));
    lines.set(2, lines.get(2).trim().replaceAll("\\s+\\S+$", ""));
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static Path reasonFile(Path quarantined) {
    return quarantined.resolveSibling(quarantined.getFileName() + ".reason.json");
  }

  private static void assertMatchesReasonFile(DataRejected event, Path quarantined, String item) throws Exception {
    JsonNode reason = JSON.readTree(reasonFile(quarantined).toFile());
    assertThat(event.reasonCode().wire()).isEqualTo("ragged_rows").isEqualTo(reason.get("reasonCode").asText());
    assertThat(event.message()).contains("line 3").isEqualTo(reason.get("message").asText());
    assertThat(event.source().item()).isEqualTo(item);
    assertThat(event.quarantineUri()).isEqualTo(quarantined.toUri().toString());
    assertThat(event.rejectedAt()).isEqualTo(Instant.parse(reason.get("rejectedAt").asText()));
  }

  /** DataRejected on a broker of the test's own, as another system reads it. */
  private static final class Events {
    private final List<DataRejected> received = new CopyOnWriteArrayList<>();

    Events(String bootstrap) {
      EventCodec codec = new EventCodec();
      KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
          Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "rejection-it-" + UUID.randomUUID(),
              ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500"),
          new StringDeserializer(), new ByteArrayDeserializer());
      consumer.subscribe(List.of(Topics.DATA_REJECTED));
      Thread thread = new Thread(() -> {
        while (true) {
          try {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
              ReceivedEvent<?> event = codec.decode(record.headers(), record.value());
              if (event.data() instanceof DataRejected r) {
                received.add(r);
              }
            }
          } catch (RuntimeException e) {
            // the broker is being stopped or started: poll again
          }
        }
      }, "rejection-it-events");
      thread.setDaemon(true);
      thread.start();
    }

    List<DataRejected> rejected(String dataset) {
      return received.stream().filter(e -> e.dataset().equals(dataset)).toList();
    }
  }
}
