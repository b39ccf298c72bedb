package io.edgeloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.DataLanded;
import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.storage.dataset.DatasetTable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A Kafka topic end to end: another system produces JSON records with a plain producer; they are
 * cut into versions of 50 records (the rest after the 1 s window), each read back and compared.
 */
class KafkaStreamSourceIT extends IngestITSupport {

  @Test
  void shouldBatchRecordsIntoVersionsByCountAndTimeWindow() throws Exception {
    List<Object[]> expected = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer = EdgeloopKafka.plainProducer()) {
      for (int i = 0; i < 120; i++) {
        String json = String.format(Locale.ROOT, "{\"unit\":%d,\"cycle\":%d,\"temp\":%.2f,\"site\":\"s%d\"}", i % 3, i, 20 + i * 0.25, i % 2);
        producer.send(new ProducerRecord<>(TOPIC, "k", json.getBytes(StandardCharsets.UTF_8))).get();
        expected.add(new Object[] {(long) (i % 3), (long) i, Double.parseDouble(String.format(Locale.ROOT, "%.2f", 20 + i * 0.25)), "s" + (i % 2)});
      }
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> IngestEvents.landed("stream-e2e").stream().mapToLong(DataLanded::rows).sum() >= 120);

    List<DataLanded> versions = IngestEvents.landed("stream-e2e").stream().sorted(Comparator.comparingLong(DataLanded::version)).toList();
    assertThat(versions).extracting(DataLanded::rows).containsExactly(50L, 50L, 20L);
    assertThat(versions).extracting(v -> v.source().item()).containsExactly(TOPIC + ":0:0-49", TOPIC + ":0:50-99", TOPIC + ":0:100-119");
    assertThat(versions.get(0).source().kind()).isEqualTo("stream");
    List<Object[]> actual = new ArrayList<>();
    for (DataLanded version : versions) {
      DatasetTable table = read(version);
      assertThat(table.schema()).extracting(c -> c.name() + ":" + c.type())
          .containsExactly("unit:int64", "cycle:int64", "temp:float64", "site:string");
      for (int i = 0; i < table.rowCount(); i++) {
        actual.add(table.row(i));
      }
    }
    assertThat(actual).hasSize(120);
    for (int i = 0; i < 120; i++) {
      assertThat(actual.get(i)).as("record %d", i).containsExactly(expected.get(i));
    }
  }
}
