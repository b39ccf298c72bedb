package io.edgeloop.ingest.dataset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.ingest.IngestProperties.SchemaChangePolicy;
import io.edgeloop.ingest.format.ParquetConverter;
import io.edgeloop.ingest.format.RejectedInputException;
import io.edgeloop.ingest.metrics.IngestMetrics;
import io.edgeloop.storage.dataset.Column;
import io.edgeloop.storage.dataset.DatasetIndex;
import io.edgeloop.storage.dataset.DatasetJson;
import io.edgeloop.storage.dataset.DatasetManifest;
import io.edgeloop.storage.dataset.DatasetReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline every source feeds, one input at a time: hash the original, skip content already
 * stored, convert to Parquet (checking the original did not change meanwhile), check the schema,
 * store and verify the version, announce it, and only then tidy the original. A refused input is
 * quarantined first, then DataRejected is sent. Not thread-safe: run it from one worker thread.
 */
public class Ingestor {
  private static final Logger log = LoggerFactory.getLogger(Ingestor.class);
  private static final long PROGRESS_BYTES = 128L * 1024 * 1024;

  private final DatasetCatalog catalog;
  private final Announcer announcer;
  private final IngestMetrics metrics;
  private final Path spoolDir;
  private final SchemaChangePolicy defaultPolicy;
  private final ParquetConverter converter = new ParquetConverter();

  public Ingestor(DatasetCatalog catalog, Announcer announcer, IngestMetrics metrics, Path spoolDir, SchemaChangePolicy defaultPolicy)
      throws IOException {
    this.catalog = catalog;
    this.announcer = announcer;
    this.metrics = metrics;
    this.spoolDir = Files.createDirectories(spoolDir);
    this.defaultPolicy = defaultPolicy;
  }

  /**
   * Announces every version that was stored but whose DataLanded was not sent (the service died
   * in between): run once at start-up, before the sources.
   */
  public int announcePending() throws IOException {
    int announced = 0;
    for (String dataset : catalog.datasets()) {
      for (DatasetIndex.Entry entry : catalog.index(dataset).versions()) {
        if (DatasetIndex.STORED.equals(entry.state())) {
          DatasetManifest manifest = catalog.manifest(dataset, entry.version());
          log.info("announcing {}@{} ({}), stored before a restart", dataset, entry.version(), entry.sourceItem());
          announcer.landed(manifest);
          announced++;
        }
      }
    }
    return announced;
  }

  public Outcome ingest(IngestItem item) {
    metrics.seen(item.kind());
    Path spool = null;
    try {
      Optional<RejectedInputException> refusal = item.refuseUnread();
      if (refusal.isPresent()) {
        throw refusal.get();
      }
      if (item.maxSize() > 0 && item.size() > item.maxSize()) {
        throw new RejectedInputException(RejectedInputException.TOO_LARGE,
            item.size() + " bytes is more than the limit of " + item.maxSize() + " bytes");
      }
      String sourceSha;
      long sourceBytes;
      try (Counting in = new Counting(item.open(), item.maxSize())) {
        sourceSha = DatasetReader.sha256(in);
        sourceBytes = in.count;
      }
      String dataset = item.dataset();
      Optional<Outcome> duplicate = duplicateOf(item, dataset, sourceSha, null);
      if (duplicate.isPresent()) {
        return duplicate.get();
      }

      spool = Files.createTempFile(spoolDir, "ingest-", ".parquet");
      ParquetConverter.Result result;
      String secondSha;
      long started = System.nanoTime();
      try (Counting counted = new Counting(item.open(), item.maxSize());
          DigestInputStream digest = new DigestInputStream(counted, MessageDigest.getInstance("SHA-256"))) {
        List<Column> known = catalog.index(dataset).schema();
        long[] nextLog = {PROGRESS_BYTES};
        // The converter closes what it reads; the rest of the input (e.g. after a gzip trailer) still has to be hashed.
        InputStream shielded = new FilterInputStream(digest) {
          @Override
          public void close() {}
        };
        result = converter.convert(shielded, item.name(), item.format(), known, spool, rows -> {
          if (counted.count >= nextLog[0]) {
            nextLog[0] = counted.count + PROGRESS_BYTES;
            progress(item, counted.count, rows, started);
          }
        });
        digest.transferTo(java.io.OutputStream.nullOutputStream());
        secondSha = HexFormat.of().formatHex(digest.getMessageDigest().digest());
      }
      if (!secondSha.equals(sourceSha)) {
        return new Outcome.Retry(item.name() + " changed while it was read");
      }

      DatasetIndex index = catalog.index(dataset);
      if (index.schema() != null && !index.schema().equals(result.schema())) {
        SchemaChangePolicy policy = item.onSchemaChange() != null ? item.onSchemaChange() : defaultPolicy;
        if (policy == SchemaChangePolicy.REJECT) {
          throw new RejectedInputException(RejectedInputException.SCHEMA_MISMATCH,
              "schema " + describe(result.schema()) + " differs from dataset " + dataset + "'s " + describe(index.schema()));
        }
        dataset = dataset + "-" + DatasetReader.sha256(new java.io.ByteArrayInputStream(describe(result.schema()).getBytes())).substring(0, 8);
        log.info("{}: schema differs from {}'s, starting or continuing dataset {}", item.name(), item.dataset(), dataset);
        Optional<Outcome> dup = duplicateOf(item, dataset, sourceSha, null);
        if (dup.isPresent()) {
          return dup.get();
        }
      }
      String dataSha = DatasetReader.sha256(Files.newInputStream(spool));
      Optional<Outcome> sameRows = duplicateOf(item, dataset, sourceSha, dataSha);
      if (sameRows.isPresent()) {
        return sameRows.get();
      }

      DatasetManifest draft = new DatasetManifest(dataset, 0, result.schema(), result.rows(), Files.size(spool), dataSha, null, null,
          result.profile(), new DatasetManifest.Source(item.kind(), item.location(), item.name()), sourceSha, sourceBytes,
          result.format(), Instant.now());
      DatasetManifest manifest = catalog.store(draft, spool);
      CrashTestHook.afterStored(manifest.dataset(), manifest.version());
      announcer.landed(manifest);
      metrics.accepted(item.kind(), sourceBytes, result.rows(), Duration.between(item.readyAt(), Instant.now()));
      log.info("{} {} -> {}@{}: {} rows, {} bytes in, {} bytes of Parquet", item.kind(), item.name(), manifest.dataset(),
          manifest.version(), manifest.rows(), sourceBytes, manifest.bytes());
      tidy(item, sourceSha);
      return new Outcome.Accepted(manifest);
    } catch (RejectedInputException e) {
      return reject(item, e);
    } catch (TooLarge e) {
      return reject(item, new RejectedInputException(RejectedInputException.TOO_LARGE, e.getMessage()));
    } catch (IOException | RuntimeException e) {
      log.warn("{} {}: will retry: {}", item.kind(), item.name(), e.toString());
      return new Outcome.Retry(e.toString());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } finally {
      if (spool != null) {
        try {
          Files.deleteIfExists(spool);
        } catch (IOException e) {
          log.warn("cannot delete spool file {}", spool, e);
        }
      }
    }
  }

  /** Same original content, or (when {@code dataSha} is given) the same Parquet content, already in the dataset. */
  private Optional<Outcome> duplicateOf(IngestItem item, String dataset, String sourceSha, String dataSha) throws IOException {
    DatasetIndex index = catalog.index(dataset);
    Optional<DatasetIndex.Entry> existing = dataSha == null ? index.bySourceSha256(sourceSha) : index.byDataSha256(dataSha);
    if (existing.isEmpty()) {
      return Optional.empty();
    }
    DatasetIndex.Entry entry = existing.get();
    if (DatasetIndex.STORED.equals(entry.state())) {
      announcer.landed(catalog.manifest(dataset, entry.version()));
    }
    log.info("{} {}: same content as {}@{} ({}), no new version", item.kind(), item.name(), dataset, entry.version(), entry.sourceItem());
    metrics.duplicate(item.kind());
    tidy(item, sourceSha);
    return Optional.of(new Outcome.Duplicate(dataset, entry.version()));
  }

  private void tidy(IngestItem item, String sourceSha) {
    try {
      item.tidy(sourceSha);
    } catch (IOException e) {
      // The data is stored and announced; the original stays and is recognised as a duplicate next time.
      log.warn("{} {}: stored, but cannot tidy the original: {}", item.kind(), item.name(), e.toString());
    }
  }

  private Outcome reject(IngestItem item, RejectedInputException e) {
    try {
      ObjectNode reason = DatasetJson.mapper().createObjectNode();
      reason.put("reasonCode", e.reasonCode());
      reason.put("message", e.getMessage());
      reason.put("dataset", item.dataset());
      reason.putObject("source").put("kind", item.kind()).put("location", item.location()).put("item", item.name());
      reason.put("rejectedAt", Instant.now().toString());
      String uri = item.quarantine(DatasetJson.mapper().writeValueAsBytes(reason)).toString();
      announcer.rejected(item.dataset(), item, e.reasonCode(), e.getMessage(), uri);
      metrics.rejected(item.kind(), e.reasonCode());
      log.warn("{} {} rejected ({}): {}; quarantined at {}", item.kind(), item.name(), e.reasonCode(), e.getMessage(), uri);
      return new Outcome.Rejected(e.reasonCode(), e.getMessage(), uri);
    } catch (IOException | RuntimeException io) {
      log.warn("{} {}: rejected ({}) but cannot quarantine it yet: {}", item.kind(), item.name(), e.reasonCode(), io.toString());
      return new Outcome.Retry("quarantine failed: " + io);
    }
  }

  /** The progress line for large inputs, every {@value #PROGRESS_BYTES} bytes read. */
  private static void progress(IngestItem item, long bytes, long rows, long startedNanos) {
    double seconds = Math.max(1e-9, (System.nanoTime() - startedNanos) / 1e9);
    log.info("ingesting {} {}: {} MB read, {} rows, {} MB/s", item.kind(), item.name(), bytes >> 20, rows,
        String.format("%.1f", bytes / 1e6 / seconds));
  }

  private static String describe(List<Column> schema) {
    return schema.stream().map(c -> c.name() + ":" + c.type()).toList().toString();
  }

  /** Counts bytes read, and refuses to read past {@code max} (the size may grow after it was checked). */
  private static final class Counting extends FilterInputStream {
    private final long max;
    long count;

    Counting(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        add(n);
      }
      return n;
    }

    private void add(long n) throws IOException {
      count += n;
      if (max > 0 && count > max) {
        throw new TooLarge(count, max);
      }
    }
  }

  /** Thrown from inside a read when the input grows past its limit; turned into a rejection. */
  static final class TooLarge extends IOException {
    TooLarge(long count, long max) {
      super("more than " + max + " bytes (read " + count + ")");
    }
  }
}
