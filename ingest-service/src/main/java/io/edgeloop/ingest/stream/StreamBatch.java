package io.edgeloop.ingest.stream;

import io.edgeloop.ingest.IngestProperties;
import io.edgeloop.ingest.IngestProperties.SchemaChangePolicy;
import io.edgeloop.ingest.dataset.IngestItem;
import io.edgeloop.ingest.format.TableFormat;
import io.edgeloop.storage.ArtifactStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Records of one partition collected in a spool file, one record per line, until the batch is cut;
 * then it is an input like a file. Named {@code <topic>:<partition>:<first>-<last>} (offsets or
 * sequence numbers), which is also how a restart finds where stored data ends.
 */
final class StreamBatch implements IngestItem {
  private final IngestProperties.Stream stream;
  private final String location;
  private final String partition;
  private final long first;
  private final Instant openedAt;
  private final Path file;
  private final OutputStream out;
  private final ArtifactStore store;
  private final TableFormat format;
  private long last;
  private int count;
  private Instant closedAt;

  StreamBatch(IngestProperties.Stream stream, String location, String partition, long first, Path spoolDir, ArtifactStore store)
      throws IOException {
    this.stream = stream;
    this.location = location;
    this.partition = partition;
    this.first = first;
    this.last = first;
    this.openedAt = Instant.now();
    this.file = Files.createTempFile(Files.createDirectories(spoolDir), "batch-", ".lines");
    this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    this.store = store;
    this.format = stream.tableFormat();
  }

  static String itemPrefix(String location, String partition) {
    return location + ":" + partition + ":";
  }

  void append(byte[] value, long position) throws IOException {
    out.write(value);
    if (value.length == 0 || value[value.length - 1] != '\n') {
      out.write('\n');
    }
    last = position;
    count++;
  }

  int count() {
    return count;
  }

  Instant openedAt() {
    return openedAt;
  }

  long last() {
    return last;
  }

  long first() {
    return first;
  }

  void close() throws IOException {
    out.close();
    closedAt = Instant.now();
  }

  void discard() throws IOException {
    out.close();
    Files.deleteIfExists(file);
  }

  @Override
  public String kind() {
    return "stream";
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public String name() {
    return itemPrefix(location, partition) + first + "-" + last;
  }

  @Override
  public String dataset() {
    return stream.dataset();
  }

  @Override
  public TableFormat format() {
    return format;
  }

  @Override
  public long size() {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public long maxSize() {
    return 0;
  }

  @Override
  public Instant readyAt() {
    return closedAt != null ? closedAt : openedAt;
  }

  @Override
  public SchemaChangePolicy onSchemaChange() {
    return stream.onSchemaChange();
  }

  @Override
  public InputStream open() throws IOException {
    return Files.newInputStream(file);
  }

  @Override
  public void tidy(String sourceSha256) throws IOException {
    Files.deleteIfExists(file);
  }

  @Override
  public URI quarantine(byte[] reasonJson) throws IOException {
    String key = "quarantine/" + dataset() + "/" + name().replaceAll("[^A-Za-z0-9._-]", "_") + ".lines";
    store.putBytes(key + ".reason.json", reasonJson);
    store.putFile(key, file);
    Files.deleteIfExists(file);
    return store.uri(key);
  }
}
