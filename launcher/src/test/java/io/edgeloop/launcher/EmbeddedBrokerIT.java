package io.edgeloop.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker keeps its log and its port: events published before a stop are consumed after
 * a restart on the same folder, and a consumer group resumes at the offset it committed.
 */
class EmbeddedBrokerIT {
  private static final String TOPIC = "edgeloop.data-landed";
  @TempDir Path dir;

  @Test
  void shouldResumeWhereItStoppedAfterARestartOnTheSameFolderAndPort() throws Exception {
    int port = EmbeddedBroker.freePort();
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("kafka"), EmbeddedBroker.choosePort(port))) {
      assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
      TestKafka.produce(broker.bootstrapServers(), TOPIC, List.of("event-0", "event-1", "event-2", "event-3", "event-4"));
      try (KafkaConsumer<String, String> consumer = TestKafka.consumer(broker.bootstrapServers(), "resuming-group", TOPIC, 2)) {
        assertThat(TestKafka.poll(consumer, 2)).containsExactly("event-0", "event-1");
        consumer.commitSync();
      }
    }

    try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("kafka"), EmbeddedBroker.choosePort(port))) {
      try (KafkaConsumer<String, String> consumer = TestKafka.consumer(broker.bootstrapServers(), "resuming-group", TOPIC, 100)) {
        assertThat(TestKafka.poll(consumer, 3)).containsExactly("event-2", "event-3", "event-4");
      }
      try (KafkaConsumer<String, String> consumer = TestKafka.consumer(broker.bootstrapServers(), "new-group", TOPIC, 100)) {
        assertThat(TestKafka.poll(consumer, 5)).hasSize(5);
      }
    }
  }
}
