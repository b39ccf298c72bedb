package io.edgeloop.ingest.stream;

import io.edgeloop.ingest.IngestProperties;
import io.edgeloop.ingest.dataset.DatasetCatalog;
import io.edgeloop.ingest.dataset.IngestWorker;
import io.edgeloop.ingest.dataset.Outcome;
import io.edgeloop.storage.ArtifactStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a Kafka topic (or Event Hubs' Kafka endpoint, by client properties) with a plain consumer
 * and manual commits: records of each partition are appended to a batch, which is cut after
 * {@code batchRecords} records or {@code batchWindow}, ingested, and only then committed. On
 * assignment it also skips past offsets whose data the dataset index already holds.
 */
public class KafkaStreamSource implements StreamSource {
  private static final Logger log = LoggerFactory.getLogger(KafkaStreamSource.class);

  private final IngestProperties.Stream stream;
  private final IngestWorker worker;
  private final DatasetCatalog catalog;
  private final ArtifactStore store;
  private final Path spoolDir;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<TopicPartition, StreamBatch> batches = new HashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile int pending;

  public KafkaStreamSource(IngestProperties.Stream stream, String defaultBootstrapServers, IngestWorker worker, DatasetCatalog catalog,
      ArtifactStore store, Path spoolDir) {
    if (stream.topic() == null || stream.topic().isBlank()) {
      throw new IllegalArgumentException("stream " + stream.displayName() + ": set topic");
    }
    this.stream = stream;
    this.worker = worker;
    this.catalog = catalog;
    this.store = store;
    this.spoolDir = spoolDir;
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, defaultBootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, stream.group());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    if (stream.kafka() != null) {
      props.putAll(stream.kafka());
    }
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.thread = new Thread(this::run, "ingest-stream-" + stream.displayName());
    this.thread.setDaemon(true);
  }

  @Override
  public void start() {
    thread.start();
  }

  @Override
  public int pending() {
    return pending;
  }

  private void run() {
    try {
      consumer.subscribe(List.of(stream.topic()), new Rebalance());
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() == null) {
            continue;
          }
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          StreamBatch batch = batches.get(tp);
          if (batch == null) {
            batch = new StreamBatch(stream, stream.topic(), Integer.toString(tp.partition()), record.offset(), spoolDir, store);
            batches.put(tp, batch);
          }
          batch.append(record.value(), record.offset());
          if (batch.count() >= stream.batchRecords()) {
            flush(tp);
          }
        }
        Instant now = Instant.now();
        for (TopicPartition tp : List.copyOf(batches.keySet())) {
          if (Duration.between(batches.get(tp).openedAt(), now).compareTo(stream.batchWindow()) >= 0) {
            flush(tp);
          }
        }
        pending = batches.values().stream().mapToInt(StreamBatch::count).sum();
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | ExecutionException | RuntimeException e) {
      log.error("stream {} stopped: {}", stream.displayName(), e.toString(), e);
    } finally {
      for (StreamBatch batch : batches.values()) {
        try {
          batch.discard();
        } catch (IOException ignored) {
          // spool space only
        }
      }
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void flush(TopicPartition tp) throws IOException, ExecutionException, InterruptedException {
    StreamBatch batch = batches.remove(tp);
    batch.close();
    Outcome outcome = worker.submit(batch).get();
    if (outcome instanceof Outcome.Retry retry) {
      log.warn("stream {}: batch {} will be read again: {}", stream.displayName(), batch.name(), retry.reason());
      batch.discard();
      consumer.seek(tp, batch.first());
      return;
    }
    consumer.commitSync(Map.of(tp, new OffsetAndMetadata(batch.last() + 1)));
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // Unflushed records are not committed: the next owner reads them again.
      for (TopicPartition tp : partitions) {
        StreamBatch batch = batches.remove(tp);
        if (batch != null) {
          try {
            batch.discard();
          } catch (IOException ignored) {
            // spool space only
          }
        }
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        try {
          long stored = StreamPositions.nextAfterStored(catalog, stream.dataset(), stream.topic(), Integer.toString(tp.partition()));
          OffsetAndMetadata committed = consumer.committed(java.util.Set.of(tp)).get(tp);
          if (stored >= 0 && (committed == null || committed.offset() < stored)) {
            log.info("stream {}: {} resumes at {} (stored data ends there; the commit was lost)", stream.displayName(), tp, stored);
            consumer.seek(tp, stored);
          }
        } catch (IOException e) {
          log.warn("stream {}: cannot read stored position of {}: {}", stream.displayName(), tp, e.toString());
        }
      }
    }
  }
}
