package io.edgeloop.ingest.blob;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.edgeloop.ingest.IngestProperties;
import io.edgeloop.ingest.dataset.IngestWorker;
import io.edgeloop.ingest.dataset.Outcome;
import io.edgeloop.storage.ArtifactStore;
import io.edgeloop.storage.ArtifactStores;
import io.edgeloop.storage.AzureBlobArtifactStore;
import io.edgeloop.storage.StorageSettings;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a blob container for blobs not yet handled (by name and ETag). Blobs are committed
 * atomically, so no settle time is needed. Each poll handles new blobs in name order and records
 * each one's position after it is handled, so a restart neither repeats nor skips a blob.
 */
public class BlobContainerSource {
  private static final Logger log = LoggerFactory.getLogger(BlobContainerSource.class);

  private final IngestProperties.Blob source;
  private final BlobContainerClient container;
  private final BlobPositions positions;
  private final IngestWorker worker;
  private final ArtifactStore store;
  private final Clock clock;
  private final Set<String> waiting = ConcurrentHashMap.newKeySet();

  public BlobContainerSource(IngestProperties.Blob source, IngestWorker worker, ArtifactStore store, Clock clock) throws IOException {
    this.source = source;
    this.container = ((AzureBlobArtifactStore) ArtifactStores.open(new StorageSettings(source.uri(), source.azure()))).container();
    this.positions = new BlobPositions(store, source.displayName());
    this.worker = worker;
    this.store = store;
    this.clock = clock;
  }

  public IngestProperties.Blob source() {
    return source;
  }

  public int pending() {
    return waiting.size();
  }

  /** One pass over the container; blocks until the new blobs found are handled. */
  public void poll() {
    List<ContainerBlob> fresh = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    try {
      for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(source.prefix()), null)) {
        listed.add(item.getName());
        String etag = item.getProperties().getETag();
        if (!positions.isHandled(item.getName(), etag)) {
          fresh.add(new ContainerBlob(source, container.getBlobClient(item.getName()), etag,
              item.getProperties().getContentLength(), clock.instant(), store));
        }
      }
      positions.forgetAllBut(listed);
    } catch (BlobStorageException | IOException e) {
      log.warn("blob source {}: listing failed: {}", source.displayName(), e.toString());
      return;
    }
    fresh.forEach(b -> waiting.add(b.name()));
    try {
      for (ContainerBlob blob : fresh) {
        Outcome outcome = worker.submit(blob).get();
        waiting.remove(blob.name());
        if (outcome instanceof Outcome.Retry retry) {
          log.info("blob source {}: {} will be retried: {}", source.displayName(), blob.name(), retry.reason());
          continue;
        }
        positions.markHandled(blob.name(), blob.etag());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | IOException e) {
      log.warn("blob source {}: {}", source.displayName(), e.toString());
    } finally {
      waiting.clear();
    }
  }
}
