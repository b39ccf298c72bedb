package io.edgeloop.ingest;

import io.edgeloop.contracts.DataLanded;
import io.edgeloop.contracts.DataRejected;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.ReceivedEvent;
import io.edgeloop.contracts.Topics;
import io.edgeloop.messaging.EdgeloopKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything the services publish on the data topics, as another system sees it: a plain Kafka
 * consumer (one per test JVM, from the earliest offset) decoding with the contracts' codec.
 */
public final class IngestEvents {
  private static final List<ReceivedEvent<?>> events = new CopyOnWriteArrayList<>();
  private static Thread thread;

  public static synchronized void start() {
    if (thread != null) {
      return;
    }
    EventCodec codec = new EventCodec();
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EdgeloopKafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "ingest-test-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500"),
        new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(Topics.DATA_LANDED, Topics.DATA_REJECTED));
    thread = new Thread(() -> {
      while (true) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          events.add(codec.decode(record.headers(), record.value()));
        }
      }
    }, "ingest-test-events");
    thread.setDaemon(true);
    thread.start();
  }

  public static List<DataLanded> landed(String dataset) {
    start();
    return events.stream().map(ReceivedEvent::data).filter(DataLanded.class::isInstance).map(DataLanded.class::cast)
        .filter(e -> e.dataset().equals(dataset)).toList();
  }

  public static List<DataRejected> rejected(String dataset) {
    start();
    return events.stream().map(ReceivedEvent::data).filter(DataRejected.class::isInstance).map(DataRejected.class::cast)
        .filter(e -> e.dataset().equals(dataset)).toList();
  }

  private IngestEvents() {}
}
