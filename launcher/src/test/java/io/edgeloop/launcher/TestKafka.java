package io.edgeloop.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients, as any other system would use against the stack's broker: a few records in, a consumer group reading them. */
final class TestKafka {
  static void produce(String bootstrap, String topic, List<String> values) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, "same-key", value)).get();
      }
    }
  }

  /** A consumer of {@code group} on {@code topic}, from the earliest offset unless the group committed one, committing by hand. */
  static KafkaConsumer<String, String> consumer(String bootstrap, String group, String topic, int maxPoll) {
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, group,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxPoll)), new StringDeserializer(), new StringDeserializer());
    consumer.subscribe(Set.of(topic));
    return consumer;
  }

  /** The values of the next {@code expected} records (fewer when they do not come within 90 s). */
  static List<String> poll(KafkaConsumer<String, String> consumer, int expected) {
    List<String> values = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (values.size() < expected && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
        values.add(record.value());
      }
    }
    return values;
  }

  private TestKafka() {}
}
