package io.edgeloop.ingest.stream;

import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.EventProcessorClient;
import com.azure.messaging.eventhubs.EventProcessorClientBuilder;
import com.azure.messaging.eventhubs.checkpointstore.blob.BlobCheckpointStore;
import com.azure.messaging.eventhubs.models.EventBatchContext;
import com.azure.messaging.eventhubs.models.EventPosition;
import io.edgeloop.ingest.IngestProperties;
import io.edgeloop.ingest.dataset.DatasetCatalog;
import io.edgeloop.ingest.dataset.IngestWorker;
import io.edgeloop.ingest.dataset.Outcome;
import io.edgeloop.storage.ArtifactStore;
import io.edgeloop.storage.ArtifactStores;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event Hubs over AMQP: an {@link EventProcessorClient} (load-balanced partitions, checkpoints in a
 * blob container through {@link BlobCheckpointStore}) delivers batches of up to {@code
 * batchRecords} events or whatever arrived within {@code batchWindow}; each batch is ingested, and
 * only then checkpointed. Partitions without a checkpoint start after the data already stored
 * (batch names carry sequence numbers), else at the earliest event.
 */
public class EventHubsStreamSource implements StreamSource {
  private static final Logger log = LoggerFactory.getLogger(EventHubsStreamSource.class);

  private final IngestProperties.Stream stream;
  private final EventProcessorClient processor;
  private final IngestWorker worker;
  private final ArtifactStore store;
  private final Path spoolDir;
  private final String location;
  private final AtomicInteger pending = new AtomicInteger();

  public EventHubsStreamSource(IngestProperties.Stream stream, IngestWorker worker, DatasetCatalog catalog, ArtifactStore store,
      Path spoolDir) {
    IngestProperties.EventHubs hubs = stream.eventHubs();
    if (hubs == null || hubs.connectionString() == null || hubs.checkpointUri() == null) {
      throw new IllegalArgumentException("stream " + stream.displayName() + ": set event-hubs.connection-string and event-hubs.checkpoint-uri");
    }
    this.stream = stream;
    this.worker = worker;
    this.store = store;
    this.spoolDir = spoolDir;
    this.location = "eventhubs:" + (hubs.eventHubName() != null ? hubs.eventHubName() : "hub");
    var checkpoints = ArtifactStores.containerClientBuilder(hubs.checkpointUri(), hubs.checkpointAzure()).buildAsyncClient();
    checkpoints.createIfNotExists().onErrorResume(e -> reactor.core.publisher.Mono.empty()).block();
    EventProcessorClientBuilder builder = new EventProcessorClientBuilder()
        .consumerGroup(hubs.consumerGroup())
        .checkpointStore(new BlobCheckpointStore(checkpoints))
        .initialPartitionEventPosition(partition -> {
          try {
            long next = StreamPositions.nextAfterStored(catalog, stream.dataset(), location, partition);
            return next >= 0 ? EventPosition.fromSequenceNumber(next) : EventPosition.earliest();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        })
        .processEventBatch(this::handle, stream.batchRecords(), stream.batchWindow())
        .processError(error -> log.warn("event hubs {} partition {}: {}", stream.displayName(),
            error.getPartitionContext().getPartitionId(), error.getThrowable().toString()));
    if (hubs.eventHubName() != null) {
      builder.connectionString(hubs.connectionString(), hubs.eventHubName());
    } else {
      builder.connectionString(hubs.connectionString());
    }
    this.processor = builder.buildEventProcessorClient();
  }

  private void handle(EventBatchContext context) {
    List<EventData> events = context.getEvents();
    if (events.isEmpty()) {
      return;
    }
    String partition = context.getPartitionContext().getPartitionId();
    pending.addAndGet(events.size());
    StreamBatch batch = null;
    try {
      batch = new StreamBatch(stream, location, partition, events.get(0).getSequenceNumber(), spoolDir, store);
      for (EventData event : events) {
        batch.append(event.getBody(), event.getSequenceNumber());
      }
      batch.close();
      Outcome outcome = worker.submit(batch).get();
      if (outcome instanceof Outcome.Retry retry) {
        // Not checkpointed: the processor delivers these events again after it restarts the partition.
        throw new IllegalStateException("batch " + batch.name() + " not handled: " + retry.reason());
      }
      context.updateCheckpoint();
    } catch (IOException | ExecutionException e) {
      throw new IllegalStateException("event hubs batch failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pending.addAndGet(-events.size());
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
  public void start() {
    processor.start();
  }

  @Override
  public int pending() {
    return pending.get();
  }

  @Override
  public void close() {
    processor.stop();
  }
}
