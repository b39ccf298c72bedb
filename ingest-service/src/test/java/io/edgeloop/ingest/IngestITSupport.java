package io.edgeloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.DataLanded;
import io.edgeloop.contracts.DataRejected;
import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.storage.ArtifactStore;
import io.edgeloop.storage.Azurite;
import io.edgeloop.storage.dataset.DatasetReader;
import io.edgeloop.storage.dataset.DatasetTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One running ingest-service for all service-level tests of this JVM (one Spring context, cached):
 * a real Kafka broker, a local store under a temporary data dir, and these sources:
 * <ul>
 *   <li>{@code corpus}: C-MAPSS preset, one dataset per subfolder, 200 KB limit (the bad-input corpus)</li>
 *   <li>{@code csv}: CSV with header, types inferred, one dataset per subfolder</li>
 *   <li>{@code turbofan}: the C-MAPSS reference files, dataset {@code turbofan-e2e}</li>
 *   <li>{@code bulk}: CSV, dataset {@code bulk} (1,000 files at once)</li>
 *   <li>{@code large}: C-MAPSS preset, one dataset per subfolder, no size limit (large inputs)</li>
 *   <li>limits for every input: lines up to 64 KB, 50 MB decompressed</li>
 *   <li>a blob container on Azurite (when it runs), dataset {@code blob-e2e}</li>
 *   <li>Kafka topic {@value #TOPIC}, JSON Lines, batches of 50 records or 1 s, dataset {@code stream-e2e}</li>
 * </ul>
 */
@SpringBootTest(classes = IngestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = "spring.config.name=ingest-service")
public abstract class IngestITSupport {
  static final String TOPIC = "ingest-it.readings";
  static final Path ROOT;
  static final String BLOB_CONTAINER = Azurite.newContainerName("ingestsrc");

  static {
    try {
      ROOT = Files.createTempDirectory("ingest-it-").toRealPath();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Autowired protected ArtifactStore store;

  @DynamicPropertySource
  static void configure(DynamicPropertyRegistry r) {
    r.add("edgeloop.kafka.bootstrap-servers", EdgeloopKafka::bootstrapServers);
    r.add("edgeloop.data-dir", ROOT::toString);
    share(r, 0, "corpus", "preset", "cmapss");
    r.add("edgeloop.ingest.shares[0].dataset-per-subfolder", () -> "true");
    r.add("edgeloop.ingest.shares[0].max-file-size", () -> "200KB");
    share(r, 1, "csv", "kind", "csv");
    r.add("edgeloop.ingest.shares[1].dataset-per-subfolder", () -> "true");
    share(r, 2, "turbofan", "preset", "cmapss");
    r.add("edgeloop.ingest.shares[2].dataset", () -> "turbofan-e2e");
    share(r, 3, "bulk", "kind", "csv");
    r.add("edgeloop.ingest.shares[3].dataset", () -> "bulk");
    r.add("edgeloop.ingest.shares[3].settle-time", () -> "300ms");
    share(r, 4, "large", "preset", "cmapss");
    r.add("edgeloop.ingest.shares[4].dataset-per-subfolder", () -> "true");
    r.add("edgeloop.ingest.limits.max-line-length", () -> "64KB");
    r.add("edgeloop.ingest.limits.max-decompressed-size", () -> "50MB");
    if (Azurite.isRunning()) {
      r.add("edgeloop.ingest.blobs[0].uri", () -> Azurite.ENDPOINT + "/" + BLOB_CONTAINER);
      r.add("edgeloop.ingest.blobs[0].azure.connection-string", () -> Azurite.CONNECTION_STRING);
      r.add("edgeloop.ingest.blobs[0].dataset", () -> "blob-e2e");
      r.add("edgeloop.ingest.blobs[0].poll-interval", () -> "200ms");
    }
    r.add("edgeloop.ingest.streams[0].topic", () -> TOPIC);
    r.add("edgeloop.ingest.streams[0].dataset", () -> "stream-e2e");
    r.add("edgeloop.ingest.streams[0].batch-records", () -> "50");
    r.add("edgeloop.ingest.streams[0].batch-window", () -> "1s");
    r.add("edgeloop.ingest.streams[0].group", () -> "ingest-it-" + UUID.randomUUID());
  }

  private static void share(DynamicPropertyRegistry r, int i, String name, String formatKey, String formatValue) {
    String p = "edgeloop.ingest.shares[" + i + "].";
    r.add(p + "name", () -> name);
    r.add(p + "path", () -> share(name).toString());
    r.add(p + "format." + formatKey, () -> formatValue);
    r.add(p + "settle-time", () -> "600ms");
    r.add(p + "poll-interval", () -> "100ms");
  }

  static Path share(String name) {
    return ROOT.resolve("shares").resolve(name);
  }

  static DataLanded awaitLanded(String dataset, int count) {
    await().atMost(Duration.ofSeconds(60)).until(() -> IngestEvents.landed(dataset).size() >= count);
    return IngestEvents.landed(dataset).get(count - 1);
  }

  static DataRejected awaitRejected(String dataset) {
    await().atMost(Duration.ofSeconds(60)).until(() -> !IngestEvents.rejected(dataset).isEmpty());
    return IngestEvents.rejected(dataset).get(0);
  }

  DatasetTable read(DataLanded landed) throws IOException {
    return DatasetReader.of(store).read(landed.dataset(), landed.version());
  }

  static void assertRows(DatasetTable table, List<Object[]> expected) {
    assertThat(table.rowCount()).isEqualTo(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      assertThat(table.row(i)).as("row %d", i).containsExactly(expected.get(i));
    }
  }

  /** Writes a file the way careful writers do: under a temporary name, then renamed into place. */
  static Path drop(Path dir, String name, byte[] content) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + name + ".tmp");
    Files.write(tmp, content);
    return Files.move(tmp, dir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
