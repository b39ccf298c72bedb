package io.edgeloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.ingest.dataset.Announcer;
import io.edgeloop.ingest.dataset.DatasetCatalog;
import io.edgeloop.ingest.dataset.IngestWorker;
import io.edgeloop.ingest.dataset.Ingestor;
import io.edgeloop.ingest.dataset.Rejections;
import io.edgeloop.ingest.format.ParquetConverter;
import io.edgeloop.ingest.metrics.IngestMetrics;
import io.edgeloop.ingest.stream.KafkaStreamSource;
import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.messaging.EventPublisher;
import io.edgeloop.messaging.loop.PollLoops;
import io.edgeloop.storage.ArtifactStore;
import io.edgeloop.storage.dataset.DatasetIndex;
import io.edgeloop.storage.dataset.DatasetLayout;
import io.edgeloop.storage.dataset.DatasetReader;
import io.edgeloop.storage.dataset.DatasetTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * The Kafka stream source under a failure in the middle of a poll: 120 records wait on the topic,
 * so one poll returns them all; the first batch (records 0-49) is stored, then the store refuses the
 * second batch's data until the test lets it (a store wrapper over the real one: the failure is
 * injected, the broker, store and pipeline are real). The source must keep itself alive and say so
 * on health (DOWN while failing, UP again after), store nothing after the failed batch ahead of it,
 * and in the end hold every produced record exactly once, in order.
 */
class KafkaStreamRecoveryIT extends IngestITSupport {
  @TempDir Path spool;
  @Autowired EventPublisher publisher;
  @Autowired Rejections rejections;
  @Autowired PollLoops serviceLoops;

  @Test
  void shouldRecoverFromAStoreFailingMidPollAndStoreEveryRecordExactlyOnce() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String topic = "ingest-recovery-" + suffix;
    String dataset = "recovery-" + suffix;
    List<Object[]> produced = produce(topic, 120);

    FailingStore failing = new FailingStore(store, DatasetLayout.data(dataset, 2));
    DatasetCatalog catalog = new DatasetCatalog(failing, true);
    Ingestor ingestor = new Ingestor(catalog, new Announcer(publisher, catalog, rejections), new IngestMetrics(new SimpleMeterRegistry()),
        spool, IngestProperties.SchemaChangePolicy.REJECT, ParquetConverter.Settings.defaults(), 3);
    PollLoops loops = new PollLoops(Duration.ofSeconds(2), Duration.ZERO); // DOWN as soon as a loop fails
    IngestProperties.Stream stream = new IngestProperties.Stream("recovery", IngestProperties.StreamKind.KAFKA, topic, dataset,
        new IngestProperties.Format(null, null, null, null, null), "ingest-recovery-" + suffix, null, null, 50, Duration.ofSeconds(1), null);
    try (IngestWorker worker = new IngestWorker(ingestor);
        KafkaStreamSource source = new KafkaStreamSource(stream, EdgeloopKafka.bootstrapServers(), worker, catalog, failing, spool,
            loops, Duration.ofMillis(200))) {
      source.start();

      await().atMost(Duration.ofSeconds(60)).until(() -> failing.refused.get() >= 2);
      assertThat(loops.health().getStatus()).isEqualTo(Status.DOWN);
      assertThat(loopDetails(loops.health(), stream)).contains("not stored");
      assertThat(storedItems(dataset)).as("only the batch before the failure; nothing after it stored ahead of it")
          .containsExactly(topic + ":0:0-49");

      failing.heal();
      await().atMost(Duration.ofSeconds(60)).until(() -> rows(dataset) >= 120);
      await().atMost(Duration.ofSeconds(10)).until(() -> loops.health().getStatus().equals(Status.UP));
      Thread.sleep(2000); // more polls: nothing more may be stored
    }

    assertThat(storedItems(dataset)).containsExactly(topic + ":0:0-49", topic + ":0:50-99", topic + ":0:100-119");
    List<Object[]> stored = new ArrayList<>();
    DatasetReader reader = DatasetReader.of(store);
    for (DatasetIndex.Entry entry : reader.index(dataset).orElseThrow().versions()) {
      DatasetTable table = reader.read(dataset, entry.version());
      for (int i = 0; i < table.rowCount(); i++) {
        stored.add(table.row(i));
      }
    }
    assertThat(stored).hasSameSizeAs(produced);
    for (int i = 0; i < produced.size(); i++) {
      assertThat(stored.get(i)).as("record %d", i).containsExactly(produced.get(i));
    }
  }

  @Test
  void shouldReportTheServicesStreamOnHealth() {
    IngestProperties.Stream configured = new IngestProperties.Stream(null, IngestProperties.StreamKind.KAFKA, TOPIC, "stream-e2e",
        new IngestProperties.Format(null, null, null, null, null), "g", null, null, 50, Duration.ofSeconds(1), null);
    await().atMost(Duration.ofSeconds(30)).until(() -> serviceLoops.health().getDetails().containsKey(KafkaStreamSource.loopName(configured)));
    assertThat(serviceLoops.health().getStatus()).isEqualTo(Status.UP);
  }

  private static String loopDetails(Health health, IngestProperties.Stream stream) {
    return String.valueOf(health.getDetails().get(KafkaStreamSource.loopName(stream)));
  }

  private static List<Object[]> produce(String topic, int count) throws Exception {
    List<Object[]> expected = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer = EdgeloopKafka.plainProducer()) {
      for (int i = 0; i < count; i++) {
        String json = String.format(Locale.ROOT, "{\"unit\":%d,\"cycle\":%d,\"temp\":%.2f}", i % 3, i, 20 + i * 0.25);
        producer.send(new ProducerRecord<>(topic, "k", json.getBytes(StandardCharsets.UTF_8))).get();
        expected.add(new Object[] {(long) (i % 3), (long) i, Double.parseDouble(String.format(Locale.ROOT, "%.2f", 20 + i * 0.25))});
      }
    }
    return expected;
  }

  private List<String> storedItems(String dataset) throws IOException {
    return DatasetReader.of(store).index(dataset).map(index -> index.versions().stream()
        .sorted(Comparator.comparingLong(DatasetIndex.Entry::version)).map(DatasetIndex.Entry::sourceItem).toList()).orElse(List.of());
  }

  private long rows(String dataset) throws IOException {
    DatasetReader reader = DatasetReader.of(store);
    long rows = 0;
    for (DatasetIndex.Entry entry : reader.index(dataset).map(DatasetIndex::versions).orElse(List.of())) {
      rows += reader.manifest(dataset, entry.version()).rows();
    }
    return rows;
  }

  /** The real store, except that it refuses to write {@code refusedKey} until healed. */
  private static final class FailingStore implements ArtifactStore {
    private final ArtifactStore delegate;
    private final String refusedKey;
    private final AtomicBoolean failing = new AtomicBoolean(true);
    final AtomicInteger refused = new AtomicInteger();

    FailingStore(ArtifactStore delegate, String refusedKey) {
      this.delegate = delegate;
      this.refusedKey = refusedKey;
    }

    void heal() {
      failing.set(false);
    }

    private void check(String key) throws IOException {
      if (failing.get() && key.equals(refusedKey)) {
        refused.incrementAndGet();
        throw new IOException("injected: the store refuses " + key);
      }
    }

    @Override
    public void put(String key, InputStream content, long length) throws IOException {
      check(key);
      delegate.put(key, content, length);
    }

    @Override
    public void putFile(String key, Path file) throws IOException {
      check(key);
      delegate.putFile(key, file);
    }

    @Override
    public InputStream open(String key) throws IOException {
      return delegate.open(key);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
      return delegate.list(prefix);
    }

    @Override
    public void delete(String key) throws IOException {
      delegate.delete(key);
    }

    @Override
    public URI uri(String key) {
      return delegate.uri(key);
    }

    @Override
    public void copyTo(String key, java.io.OutputStream out) throws IOException {
      delegate.copyTo(key, out);
    }
  }
}
