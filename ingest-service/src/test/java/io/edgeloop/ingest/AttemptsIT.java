package io.edgeloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.DataRejected;
import io.edgeloop.ingest.dataset.Announcer;
import io.edgeloop.ingest.dataset.DatasetCatalog;
import io.edgeloop.ingest.dataset.IngestItem;
import io.edgeloop.ingest.dataset.Ingestor;
import io.edgeloop.ingest.dataset.Rejections;
import io.edgeloop.ingest.dataset.Outcome;
import io.edgeloop.ingest.format.ParquetConverter;
import io.edgeloop.ingest.format.Presets;
import io.edgeloop.ingest.format.TableFormat;
import io.edgeloop.ingest.metrics.IngestMetrics;
import io.edgeloop.messaging.EventPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An input whose ingestion fails in a way nobody foresaw (an Error such as OutOfMemoryError or
 * StackOverflowError, or an unexpected exception while converting) is tried {@code max-attempts}
 * times, counted across restarts, and then quarantined as {@code internal_error}; a failure that
 * is not the input's (its source cannot be read for a moment) is retried without counting. The
 * pipeline, store and broker are real; the input is a source whose bytes fail as told, since no
 * real file makes the converter throw an Error on purpose.
 */
class AttemptsIT extends IngestITSupport {
  @TempDir Path spool;
  @Autowired EventPublisher publisher;
  @Autowired Rejections rejections;

  private Ingestor ingestor() throws IOException {
    DatasetCatalog catalog = new DatasetCatalog(store, true);
    return new Ingestor(catalog, new Announcer(publisher, catalog, rejections), new IngestMetrics(new SimpleMeterRegistry()), spool,
        io.edgeloop.ingest.IngestProperties.SchemaChangePolicy.REJECT, ParquetConverter.Settings.defaults(), 3);
  }

  @Test
  void shouldQuarantineAnInputAsInternalErrorAfterThreeFailedAttemptsAcrossRestarts() throws Exception {
    String dataset = "attempts-" + UUID.randomUUID().toString().substring(0, 8);
    FailingItem item = new FailingItem(dataset, () -> new OutOfMemoryError("simulated: Java heap space"));

    assertThat(ingestor().ingest(item)).isInstanceOf(Outcome.Retry.class);
    assertThat(ingestor().ingest(item)).as("a restarted service remembers the attempt").isInstanceOf(Outcome.Retry.class);
    Outcome third = ingestor().ingest(item);

    assertThat(third).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
      assertThat(r.reasonCode()).isEqualTo("internal_error");
      assertThat(r.message()).contains("3 attempts").contains("OutOfMemoryError").contains("simulated");
    });
    assertThat(item.quarantined.get()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> !IngestEvents.rejected(dataset).isEmpty());
    DataRejected event = IngestEvents.rejected(dataset).get(0);
    assertThat(event.reasonCode().wire()).isEqualTo("internal_error");
    assertThat(event.quarantineUri()).isEqualTo("memory:quarantine/" + dataset);
  }

  @Test
  void shouldCountAServiceThatDiedWhileOnAnInputAsAFailedAttempt() throws Exception {
    String dataset = "attempts-" + UUID.randomUUID().toString().substring(0, 8);
    FailingItem crashing = new FailingItem(dataset, () -> new StackOverflowError("simulated"));
    assertThat(ingestor().ingest(crashing)).isInstanceOf(Outcome.Retry.class);
    assertThat(ingestor().ingest(crashing)).isInstanceOf(Outcome.Retry.class);
    try (var files = Files.list(spool.resolve("attempts"))) {
      Path record = files.findFirst().orElseThrow();
      Files.writeString(record, "3\n"); // as begin() leaves it when the JVM dies during the third attempt
    }

    Outcome fourth = ingestor().ingest(new FailingItem(dataset, null));

    assertThat(fourth).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
      assertThat(r.reasonCode()).isEqualTo("internal_error");
      assertThat(r.message()).contains("3 attempts").contains("the service stopped while ingesting it");
    });
  }

  @Test
  void shouldRetryASourceThatCannotBeReadForAMomentWithoutCountingIt() throws Exception {
    String dataset = "attempts-" + UUID.randomUUID().toString().substring(0, 8);
    FailingItem flaky = new FailingItem(dataset, () -> new IOException("simulated: connection reset"));
    for (int i = 0; i < 5; i++) {
      assertThat(ingestor().ingest(flaky)).isInstanceOf(Outcome.Retry.class);
    }
    Outcome healed = ingestor().ingest(new FailingItem(dataset, null));
    assertThat(healed).isInstanceOf(Outcome.Accepted.class);
    assertThat(flaky.quarantined.get()).isZero();
    try (var files = Files.list(spool.resolve("attempts"))) {
      assertThat(files).as("nothing left to count once it landed").isEmpty();
    }
  }

  /** A source item with good C-MAPSS content whose reads fail with {@code failure} (null: they do not) after the first 100 bytes. */
  private static final class FailingItem implements IngestItem {
    private static final byte[] CONTENT = CmapssMother.text(1, 500, 99).getBytes(StandardCharsets.UTF_8);
    private final String dataset;
    private final Supplier<Throwable> failure;
    final AtomicInteger quarantined = new AtomicInteger();

    FailingItem(String dataset, Supplier<Throwable> failure) {
      this.dataset = dataset;
      this.failure = failure;
    }

    @Override
    public InputStream open() {
      return new InputStream() {
        private int pos;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (failure != null && pos >= 100) {
            Throwable t = failure.get();
            if (t instanceof Error e) {
              throw e;
            }
            if (t instanceof RuntimeException r) {
              throw r;
            }
            throw (IOException) t;
          }
          if (pos >= CONTENT.length) {
            return -1;
          }
          int n = Math.min(Math.min(len, 100), CONTENT.length - pos);
          System.arraycopy(CONTENT, pos, b, off, n);
          pos += n;
          return n;
        }
      };
    }

    @Override public String kind() { return "blob"; }
    @Override public String location() { return "memory:"; }
    @Override public String name() { return dataset + ".txt"; }
    @Override public String dataset() { return dataset; }
    @Override public TableFormat format() { return Presets.CMAPSS; }
    @Override public long size() { return CONTENT.length; }
    @Override public long maxSize() { return 0; }
    @Override public Instant readyAt() { return Instant.now(); }
    @Override public io.edgeloop.ingest.IngestProperties.SchemaChangePolicy onSchemaChange() { return null; }
    @Override public void tidy(String sourceSha256) {}

    @Override
    public URI quarantine(byte[] reasonJson) {
      quarantined.incrementAndGet();
      return URI.create("memory:quarantine/" + dataset);
    }
  }
}
