package io.edgeloop.ingest.stream;

import io.edgeloop.ingest.IngestProperties;
import io.edgeloop.ingest.dataset.DatasetCatalog;
import io.edgeloop.ingest.dataset.IngestWorker;
import io.edgeloop.ingest.dataset.Outcome;
import io.edgeloop.messaging.loop.PollLoop;
import io.edgeloop.messaging.loop.PollLoops;
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
import java.util.Set;
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
 * and manual commits: records of each partition are appended to a batch, which is cut after {@code
 * batchRecords} records or {@code batchWindow}, ingested, and only then committed.
 *
 * <p>Runs as a {@link PollLoop} ({@code ingest stream <name>} on {@code /actuator/health}): any
 * failure (a batch the store did not take, a commit or poll that failed) discards every open batch
 * and the consumer, and the loop starts a new consumer after a capped backoff. The new consumer
 * resumes at the committed offset, or after the last offset the dataset index holds when that is
 * later (batch names carry their offset range): so a record is stored exactly once however often
 * a poll is retried, and records polled after a failed batch are never stored ahead of it.
 */
public class KafkaStreamSource implements StreamSource {
  private static final Logger log = LoggerFactory.getLogger(KafkaStreamSource.class);

  private final IngestProperties.Stream stream;
  private final IngestWorker worker;
  private final DatasetCatalog catalog;
  private final ArtifactStore store;
  private final Path spoolDir;
  private final Properties clientProperties;
  private final PollLoops loops;
  private final Duration retryInterval;
  private final Map<TopicPartition, StreamBatch> batches = new HashMap<>();
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile PollLoop loop;
  private volatile boolean closing;
  private volatile int pending;

  /**
   * @param retryInterval the first wait after a failure; it doubles up to the loops' cap
   */
  public KafkaStreamSource(IngestProperties.Stream stream, String defaultBootstrapServers, IngestWorker worker, DatasetCatalog catalog,
      ArtifactStore store, Path spoolDir, PollLoops loops, Duration retryInterval) {
    if (stream.topic() == null || stream.topic().isBlank()) {
      throw new IllegalArgumentException("stream " + stream.displayName() + ": set topic");
    }
    this.stream = stream;
    this.worker = worker;
    this.catalog = catalog;
    this.store = store;
    this.spoolDir = spoolDir;
    this.loops = loops;
    this.retryInterval = retryInterval;
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, defaultBootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, stream.group());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    if (stream.kafka() != null) {
      props.putAll(stream.kafka());
    }
    this.clientProperties = props;
  }

  /** The loop's name on health. */
  public static String loopName(IngestProperties.Stream stream) {
    return "ingest stream " + stream.displayName();
  }

  @Override
  public void start() {
    loop = loops.start(loopName(stream), retryInterval, this::pollOnce);
  }

  @Override
  public int pending() {
    return pending;
  }

  /** One poll and the batches it completes; true: poll again at once. Throws after discarding what it held. */
  private boolean pollOnce() throws IOException, ExecutionException, InterruptedException {
    try {
      if (consumer == null) {
        KafkaConsumer<byte[], byte[]> created = new KafkaConsumer<>(clientProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        created.subscribe(List.of(stream.topic()), new Rebalance(created));
        consumer = created;
      }
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
      return true;
    } catch (WakeupException e) {
      reset();
      if (closing) {
        return false;
      }
      throw e;
    } catch (IOException | ExecutionException | InterruptedException | RuntimeException | Error e) {
      // PollLoop logs the failure (once per streak) and backs off; the next attempt starts from the stored position.
      reset();
      throw e;
    }
  }

  /** Stores one batch, then commits its end; a batch the pipeline could not handle fails the poll. */
  private void flush(TopicPartition tp) throws IOException, ExecutionException, InterruptedException {
    StreamBatch batch = batches.remove(tp);
    try {
      batch.close();
      Outcome outcome = worker.submit(batch).get();
      if (outcome instanceof Outcome.Retry retry) {
        // Not committed, and nothing after it in this partition may be stored first: the caller starts over.
        throw new BatchNotStoredException(batch.name(), retry.reason());
      }
      consumer.commitSync(Map.of(tp, new OffsetAndMetadata(batch.last() + 1)));
    } finally {
      batch.discard();
    }
  }

  /** Forgets every open batch and the consumer: the next poll starts over from the stored position. */
  private void reset() {
    for (StreamBatch batch : batches.values()) {
      try {
        batch.discard();
      } catch (IOException ignored) {
        // spool space only
      }
    }
    batches.clear();
    pending = 0;
    KafkaConsumer<byte[], byte[]> current = consumer;
    consumer = null;
    if (current != null) {
      if (closing) {
        Thread.interrupted(); // stop() interrupts the loop; the consumer's close must still leave the group cleanly
      }
      try {
        current.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.debug("stream {}: closing the consumer: {}", stream.displayName(), e.toString());
      }
    }
  }

  @Override
  public void close() {
    closing = true;
    KafkaConsumer<byte[], byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    PollLoop running = loop;
    if (running != null) {
      running.stop();
    }
    reset(); // the loop's thread has ended: nothing else touches the consumer now
  }

  /** A batch that was not stored (the store or the broker failed): the poll fails and starts over. */
  static final class BatchNotStoredException extends IOException {
    BatchNotStoredException(String batch, String reason) {
      super("batch " + batch + " not stored: " + reason);
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    private final KafkaConsumer<byte[], byte[]> owner;

    Rebalance(KafkaConsumer<byte[], byte[]> owner) {
      this.owner = owner;
    }

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
          OffsetAndMetadata committed = owner.committed(Set.of(tp)).get(tp);
          if (stored >= 0 && (committed == null || committed.offset() < stored)) {
            log.info("stream {}: {} resumes at {} (stored data ends there; the commit was lost)", stream.displayName(), tp, stored);
            owner.seek(tp, stored);
          }
        } catch (IOException e) {
          // Reading from the commit could store records twice: fail the poll, and the loop tries again.
          throw new IllegalStateException("stream " + stream.displayName() + ": cannot read the stored position of " + tp, e);
        }
      }
    }
  }
}
