package io.edgeloop.ingest.blob;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import io.edgeloop.ingest.IngestProperties;
import io.edgeloop.ingest.IngestProperties.SchemaChangePolicy;
import io.edgeloop.ingest.dataset.IngestItem;
import io.edgeloop.ingest.format.TableFormat;
import io.edgeloop.storage.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One blob of a source container, read only while its ETag is unchanged. Quarantine copies it into
 * the artifact store ({@code quarantine/<dataset>/...}) beside its reason; the original stays (the
 * position marks it handled) unless the source deletes after success.
 */
final class ContainerBlob implements IngestItem {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS").withZone(ZoneOffset.UTC);

  private final IngestProperties.Blob source;
  private final BlobClient blob;
  private final String etag;
  private final long size;
  private final Instant readyAt;
  private final ArtifactStore store;
  private final TableFormat format;

  ContainerBlob(IngestProperties.Blob source, BlobClient blob, String etag, long size, Instant readyAt, ArtifactStore store) {
    this.source = source;
    this.blob = blob;
    this.etag = etag;
    this.size = size;
    this.readyAt = readyAt;
    this.store = store;
    this.format = source.format().toTableFormat();
  }

  String etag() {
    return etag;
  }

  @Override
  public String kind() {
    return "blob";
  }

  @Override
  public String location() {
    return blob.getContainerClient().getBlobContainerUrl();
  }

  @Override
  public String name() {
    return blob.getBlobName();
  }

  @Override
  public String dataset() {
    return source.dataset();
  }

  @Override
  public TableFormat format() {
    return format;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public long maxSize() {
    return source.maxFileSize().toBytes();
  }

  @Override
  public Instant readyAt() {
    return readyAt;
  }

  @Override
  public SchemaChangePolicy onSchemaChange() {
    return source.onSchemaChange();
  }

  @Override
  public InputStream open() throws IOException {
    try {
      return blob.openInputStream(new BlobInputStreamOptions()
          .setRequestConditions(new BlobRequestConditions().setIfMatch(etag))
          .setBlockSize(4 * 1024 * 1024));
    } catch (BlobStorageException e) {
      throw new IOException("cannot read blob " + name() + " (ETag " + etag + "): " + e.getMessage(), e);
    }
  }

  @Override
  public void tidy(String sourceSha256) throws IOException {
    if (source.afterSuccess() == IngestProperties.AfterSuccess.DELETE) {
      try {
        blob.deleteIfExists();
      } catch (BlobStorageException e) {
        throw new IOException("cannot delete blob " + name() + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public URI quarantine(byte[] reasonJson) throws IOException {
    String key = "quarantine/" + dataset() + "/" + STAMP.format(Instant.now()) + "-" + name().replace('/', '_');
    store.putBytes(key + ".reason.json", reasonJson);
    try (InputStream in = open()) {
      store.put(key, in, size);
    }
    return store.uri(key);
  }
}
