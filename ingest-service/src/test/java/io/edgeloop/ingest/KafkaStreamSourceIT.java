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
 * cut into versions of at most 50 records (the rest after the 1 s window), each read back and compared.
 */
class KafkaStreamSourceIT extends IngestITSupport {

  @Test
  void shouldBatchRecordsIntoVersionsByCountAndTimeWindow() throws Exception {
    List<Object[]> expected = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer = EdgeloopKafka.plainProducer()) {
      // Sent together and flushed, so that they reach the topic at once: one record at a time, a slow
      // machine spreads them over more than the 1 s window, and the windows then cut other batches.
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        String json = String.format(Locale.ROOT, "{\"unit\":%d,\"cycle\":%d,\"temp\":%.2f,\"site\":\"s%d\"}", i % 3, i, 20 + i * 0.25, i % 2);
        sent.add(producer.send(new ProducerRecord<>(TOPIC, "k", json.getBytes(StandardCharsets.UTF_8))));
        expected.add(new Object[] {(long) (i % 3), (long) i, Double.parseDouble(String.format(Locale.ROOT, "%.2f", 20 + i * 0.25)), "s" + (i % 2)});
      }
      producer.flush();
      for (java.util.concurrent.Future<?> f : sent) {
        f.get();
      }
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> IngestEvents.landed("stream-e2e").stream().mapToLong(DataLanded::rows).sum() >= 120);

    List<DataLanded> versions = IngestEvents.landed("stream-e2e").stream().sorted(Comparator.comparingLong(DataLanded::version)).toList();
    // Cut by count (50) and by the window (what is left after it): which records fall into which
    // window depends on when they arrive, so the batches are checked for what holds either way.
    assertThat(versions).extracting(DataLanded::rows).allMatch(rows -> rows >= 1 && rows <= 50)
        .contains(50L).anyMatch(rows -> rows < 50);
    long next = 0;
    for (DataLanded version : versions) {
      long last = next + version.rows() - 1;
      assertThat(version.source().item()).as("consecutive offsets, none twice or skipped").isEqualTo(TOPIC + ":0:" + next + "-" + last);
      next = last + 1;
    }
    assertThat(next).isEqualTo(120);
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
