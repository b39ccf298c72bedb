package io.edgeloop.ingest.dataset;

import io.edgeloop.ingest.IngestProperties.SchemaChangePolicy;
import io.edgeloop.ingest.format.ParquetConverter;
import io.edgeloop.ingest.format.RejectedInputException;
import io.edgeloop.ingest.metrics.IngestMetrics;
import io.edgeloop.storage.dataset.Column;
import io.edgeloop.storage.dataset.DatasetIndex;
import io.edgeloop.storage.dataset.DatasetManifest;
import io.edgeloop.storage.dataset.DatasetReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * The pipeline every source feeds, one input at a time: convert to Parquet while hashing the
 * original (checking afterwards that it did not change while it was read), skip content already
 * stored, check the schema, store and verify the version, announce it, and only then tidy the
 * original. A refused input is quarantined beside a reason file holding the whole rejection, then
 * DataRejected is recorded in the outbox ({@link Rejections}). An input whose
 * conversion fails in an unexpected way (a bug, out of memory, a crash of the whole service) is
 * tried {@code maxAttempts} times and then quarantined as {@code internal_error}. Replicas share
 * the inputs through {@link SourceClaims}: an input is claimed before it is read (one claimed by a
 * live instance is retried later, one whose claim ran out is taken over) and released when done.
 * Not thread-safe: run it from one worker thread.
 */
public class Ingestor {
  private static final Logger log = LoggerFactory.getLogger(Ingestor.class);
  private static final long PROGRESS_BYTES = 128L * 1024 * 1024;

  private final DatasetCatalog catalog;
  private final Announcer announcer;
  private final IngestMetrics metrics;
  private final Path spoolDir;
  private final SchemaChangePolicy defaultPolicy;
  private final ParquetConverter converter;
  private final Attempts attempts;
  private final int maxAttempts;
  private final SourceClaims claims;

  public Ingestor(DatasetCatalog catalog, Announcer announcer, IngestMetrics metrics, Path spoolDir, SchemaChangePolicy defaultPolicy,
      ParquetConverter.Settings conversion, int maxAttempts, SourceClaims claims) throws IOException {
    this.claims = claims;
    this.catalog = catalog;
    this.announcer = announcer;
    this.metrics = metrics;
    this.spoolDir = Files.createDirectories(spoolDir);
    this.defaultPolicy = defaultPolicy;
    this.converter = new ParquetConverter(conversion);
    this.attempts = new Attempts(spoolDir.resolve("attempts"));
    this.maxAttempts = maxAttempts;
    deleteLeftoverSpoolFiles();
  }

  /** An ingestor that is the only instance (no claims). */
  public Ingestor(DatasetCatalog catalog, Announcer announcer, IngestMetrics metrics, Path spoolDir, SchemaChangePolicy defaultPolicy,
      ParquetConverter.Settings conversion, int maxAttempts) throws IOException {
    this(catalog, announcer, metrics, spoolDir, defaultPolicy, conversion, maxAttempts, SourceClaims.SOLE);
  }

  /** One claim per input, the same on every instance: its source's kind, location and name. */
  static String claimKey(String kind, String location, String name) {
    return kind + "|" + location + "|" + name;
  }

  /** Parquet files of conversions a crash cut short: nothing refers to them. */
  private void deleteLeftoverSpoolFiles() throws IOException {
    try (var files = Files.newDirectoryStream(spoolDir, "ingest-*.parquet")) {
      for (Path file : files) {
        log.info("deleting {}, left by a conversion that did not finish", file.getFileName());
        Files.deleteIfExists(file);
      }
    }
  }

  /**
   * Announces every version that was stored but whose DataLanded was not sent (the service died
   * in between): run once at start-up, before the sources. A version whose input another live
   * instance holds is left to it.
   */
  public int announcePending() throws IOException {
    int announced = 0;
    for (String dataset : catalog.datasets()) {
      for (DatasetIndex.Entry entry : catalog.refresh(dataset).versions()) {
        if (DatasetIndex.STORED.equals(entry.state())) {
          DatasetManifest manifest = catalog.manifest(dataset, entry.version());
          String key = claimKey(manifest.source().kind(), manifest.source().location(), manifest.source().item());
          if (!claims.claim(key)) {
            log.info("{}@{} ({}) is another instance's to announce", dataset, entry.version(), entry.sourceItem());
            continue;
          }
          try {
            boolean stillStored = catalog.refresh(dataset).versions().stream()
                .anyMatch(e -> e.version() == entry.version() && DatasetIndex.STORED.equals(e.state()));
            if (stillStored) {
              log.info("announcing {}@{} ({}), stored before a restart", dataset, entry.version(), entry.sourceItem());
              announcer.landed(manifest);
              announced++;
            }
          } finally {
            claims.release(key);
          }
        }
      }
    }
    return announced;
  }

  /** Claims the input (or leaves it to the live instance that holds it), ingests it, and releases it. */
  public Outcome ingest(IngestItem item) {
    String key = claimKey(item.kind(), item.location(), item.name());
    try {
      if (!claims.claim(key)) {
        log.debug("{} {}: another instance is on it", item.kind(), item.name());
        return new Outcome.Retry("another instance is on it");
      }
    } catch (RuntimeException e) {
      log.warn("{} {}: will retry: cannot claim it: {}", item.kind(), item.name(), e.toString());
      return new Outcome.Retry("cannot claim it: " + e);
    }
    try {
      catalog.refresh(item.dataset());
      return ingestClaimed(item, key);
    } catch (IOException e) {
      log.warn("{} {}: will retry: cannot read the dataset's index: {}", item.kind(), item.name(), e.toString());
      return new Outcome.Retry(e.toString());
    } finally {
      try {
        claims.release(key);
      } catch (RuntimeException e) {
        log.warn("cannot release the claim on {} (it runs out by itself): {}", key, e.toString());
      }
    }
  }

  private Outcome ingestClaimed(IngestItem item, String claimKey) {
    metrics.seen(item.kind());
    Attempts.Attempt attempt;
    try {
      attempt = attempts.begin(item);
    } catch (IOException e) {
      log.warn("{} {}: will retry: cannot record the attempt: {}", item.kind(), item.name(), e.toString());
      return new Outcome.Retry(e.toString());
    }
    Outcome outcome;
    if (attempt.number() > maxAttempts) {
      outcome = reject(item, new RejectedInputException(RejectedInputException.INTERNAL_ERROR, (attempt.number() - 1) + " attempts to ingest it did not finish;"
          + " the last one: " + attempt.describeLast()));
    } else {
      try {
        outcome = ingestOnce(item, claimKey);
      } catch (InputFailure | Error e) {
        Throwable cause = e instanceof InputFailure f ? f.getCause() : e;
        log.error("{} {}: attempt {} of {} failed unexpectedly", item.kind(), item.name(), attempt.number(), maxAttempts, cause);
        try {
          attempts.failed(item, attempt, cause);
        } catch (IOException io) {
          log.warn("cannot record the failed attempt: {}", io.toString());
        }
        if (attempt.number() < maxAttempts) {
          return new Outcome.Retry(cause.toString());
        }
        outcome = reject(item, new RejectedInputException(RejectedInputException.INTERNAL_ERROR,
            attempt.number() + " attempts to ingest it failed; the last one with " + cause));
      }
    }
    try {
      if (outcome instanceof Outcome.Retry) {
        attempts.forgive(item, attempt);
      } else {
        attempts.done(item);
      }
    } catch (IOException e) {
      log.warn("cannot update the attempts of {}: {}", item.name(), e.toString());
    }
    return outcome;
  }

  private Outcome ingestOnce(IngestItem item, String claimKey) {
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
      String dataset = item.dataset();
      if (catalog.index(dataset).versions().stream().anyMatch(e -> item.name().equals(e.sourceItem()))) {
        // A name seen before (an original a crash or a failed tidy left behind, or a name reused):
        // hashing first is cheaper than converting it again.
        String sha;
        try (Counting in = new Counting(item.open(), item.maxSize())) {
          sha = DatasetReader.sha256(in);
        }
        Optional<Outcome> duplicate = duplicateOf(item, dataset, sha, null);
        if (duplicate.isPresent()) {
          return duplicate.get();
        }
      }

      spool = Files.createTempFile(spoolDir, "ingest-", ".parquet");
      Converted converted = convert(item, dataset, spool);
      Optional<String> changed = item.changedWhileRead(converted.sourceBytes());
      if (changed.isPresent()) {
        return new Outcome.Retry(item.name() + " changed while it was read: " + changed.get());
      }
      ParquetConverter.Result result = converted.result();
      String sourceSha = converted.sourceSha();
      Optional<Outcome> duplicate = duplicateOf(item, dataset, sourceSha, null);
      if (duplicate.isPresent()) {
        return duplicate.get();
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
      Optional<Outcome> sameRows = duplicateOf(item, dataset, sourceSha, result.sha256());
      if (sameRows.isPresent()) {
        return sameRows.get();
      }

      DatasetManifest draft = new DatasetManifest(dataset, 0, result.schema(), result.rows(), result.bytes(), result.sha256(), null, null,
          result.profile(), new DatasetManifest.Source(item.kind(), item.location(), item.name()), sourceSha, converted.sourceBytes(),
          result.format(), Instant.now());
      DatasetManifest manifest;
      try {
        manifest = catalog.store(draft, spool, () -> claims.verify(claimKey));
      } catch (DatasetCatalog.AlreadyStored e) {
        // Another instance stored the same content under another name meanwhile.
        Optional<Outcome> same = duplicateOf(item, dataset, sourceSha, null);
        return (same.isPresent() ? same : duplicateOf(item, dataset, sourceSha, result.sha256())).orElseThrow(() -> e);
      }
      CrashTestHook.afterStored(manifest.dataset(), manifest.version());
      announcer.landed(manifest);
      metrics.accepted(item.kind(), converted.sourceBytes(), result.rows(), Duration.between(item.readyAt(), Instant.now()));
      log.info("{} {} -> {}@{}: {} rows, {} bytes in, {} bytes of Parquet, {} MB/s", item.kind(), item.name(), manifest.dataset(),
          manifest.version(), manifest.rows(), converted.sourceBytes(), manifest.bytes(), String.format("%.1f", converted.megabytesPerSecond()));
      CrashTestHook.afterAnnounced(manifest.dataset(), manifest.version());
      tidy(item, sourceSha);
      return new Outcome.Accepted(manifest);
    } catch (RejectedInputException e) {
      return reject(item, e);
    } catch (TooLarge e) {
      return reject(item, new RejectedInputException(RejectedInputException.TOO_LARGE, e.getMessage()));
    } catch (IOException | RuntimeException e) {
      if (e instanceof InputFailure failure) {
        throw failure;
      }
      log.warn("{} {}: will retry: {}", item.kind(), item.name(), e.toString());
      return new Outcome.Retry(e.toString());
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

  /** The conversion's result, the original's sha256 and size, and how fast it went. */
  private record Converted(ParquetConverter.Result result, String sourceSha, long sourceBytes, double megabytesPerSecond) {}

  /**
   * Converts while hashing the original in the same read. A RuntimeException here is not the
   * store's or the broker's: it becomes an {@link InputFailure}, which counts as a failed attempt.
   */
  private Converted convert(IngestItem item, String dataset, Path spool) throws IOException, RejectedInputException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<Column> known = catalog.index(dataset).schema();
    long started = System.nanoTime();
    long total = Math.max(0, item.size());
    metrics.progress(0, total);
    try (Counting counted = new Counting(item.open(), item.maxSize());
        DigestInputStream digest = new DigestInputStream(counted, sha)) {
      long[] nextLog = {PROGRESS_BYTES};
      // The converter closes what it reads; the rest of the input (e.g. after a gzip trailer) still has to be hashed.
      InputStream shielded = new FilterInputStream(digest) {
        @Override
        public void close() {}
      };
      ParquetConverter.Result result = converter.convert(shielded, item.name(), item.format(), known, spool, rows -> {
        metrics.progress(counted.count, total);
        CrashTestHook.converting(item.name(), counted.count, total);
        if (counted.count >= nextLog[0]) {
          nextLog[0] = counted.count + PROGRESS_BYTES;
          progress(item, counted.count, total, rows, started);
        }
      });
      digest.transferTo(OutputStream.nullOutputStream());
      double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
      return new Converted(result, HexFormat.of().formatHex(sha.digest()), counted.count, counted.count / 1e6 / seconds);
    } catch (RuntimeException e) {
      throw new InputFailure(e);
    } finally {
      metrics.progress(0, 0);
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
    } catch (UnsafeLinkException e) {
      log.error("{} {}: stored, but the original is NOT tidied: {}", item.kind(), item.name(), e.getMessage());
    } catch (IOException e) {
      // The data is stored and announced; the original stays and is recognised as a duplicate next time.
      log.warn("{} {}: stored, but cannot tidy the original: {}", item.kind(), item.name(), e.toString());
    }
  }

  /**
   * Quarantines the input beside its reason file, which holds the whole rejection (its time too),
   * then records DataRejected in the outbox. A crash between the two leaves the reason file, and the
   * start-up sweep records it then; a database that fails the record is retried in memory.
   */
  private Outcome reject(IngestItem item, RejectedInputException e) {
    Instant rejectedAt = Instant.now();
    String uri;
    try {
      uri = item.quarantine(Rejections.reasonJson(item, e.reasonCode(), e.getMessage(), rejectedAt)).toString();
    } catch (UnsafeLinkException unsafe) {
      // Never written through a link planted in the quarantine area: the original stays where it is.
      log.error("{} {} rejected ({}: {}) but NOT quarantined: {}", item.kind(), item.name(), e.reasonCode(), e.getMessage(),
          unsafe.getMessage());
      uri = null;
    } catch (IOException | RuntimeException io) {
      log.warn("{} {}: rejected ({}) but cannot quarantine it yet: {}", item.kind(), item.name(), e.reasonCode(), io.toString());
      return new Outcome.Retry("quarantine failed: " + io);
    }
    CrashTestHook.afterQuarantined(item.name());
    announcer.rejected(item.dataset(), item, e.reasonCode(), e.getMessage(), uri, rejectedAt);
    metrics.rejected(item.kind(), e.reasonCode());
    log.warn("{} {} rejected ({}): {}; quarantined at {}", item.kind(), item.name(), e.reasonCode(), e.getMessage(), uri);
    return new Outcome.Rejected(e.reasonCode(), e.getMessage(), uri);
  }

  /** The progress line for large inputs, every {@value #PROGRESS_BYTES} bytes read. */
  private static void progress(IngestItem item, long bytes, long total, long rows, long startedNanos) {
    double seconds = Math.max(1e-9, (System.nanoTime() - startedNanos) / 1e9);
    log.info("ingesting {} {}: {} of {} MB read ({}%), {} rows, {} MB/s", item.kind(), item.name(), bytes >> 20,
        total > 0 ? total >> 20 : "?", total > 0 ? 100 * bytes / total : "?", rows, String.format("%.1f", bytes / 1e6 / seconds));
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

  /** A conversion that failed in a way nobody foresaw: counted against the input's attempts. */
  private static final class InputFailure extends RuntimeException {
    InputFailure(RuntimeException cause) {
      super(cause);
    }
  }

  /** Thrown from inside a read when the input grows past its limit; turned into a rejection. */
  static final class TooLarge extends IOException {
    TooLarge(long count, long max) {
      super("more than " + max + " bytes (read " + count + ")");
    }
  }
}
