package io.edgeloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.DataLanded;
import io.edgeloop.storage.LocalArtifactStore;
import io.edgeloop.storage.dataset.DatasetIndex;
import io.edgeloop.storage.dataset.DatasetReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow (two service start-ups per test, about 40 s each): the service runs in its own JVM at
 * {@code -Xmx256m}, is killed with SIGKILL at a point a test hook holds it at, and is started
 * again: exactly one version and exactly one DataLanded exist for the file, and nothing half made
 * is left. The points: right after a version is stored and before it is announced; halfway through
 * converting a file of many chunks.
 */
class CrashSafetyIT {
  @TempDir Path dir;
  private final List<IngestProcess> processes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (IngestProcess p : processes) {
      p.kill();
    }
  }

  @Test
  void shouldAnnounceAVersionStoredBeforeAKillExactlyOnceAfterRestart() throws Exception {
    String dataset = "crash-" + UUID.randomUUID().toString().substring(0, 8);
    Path share = Files.createDirectories(dir.resolve("share"));
    Path halted = dir.resolve("halted");
    IngestEvents.start();

    IngestProcess first = startService(dataset, share, List.of("-Dedgeloop.ingest.test.halt-after-store=" + halted), "first.log");
    List<String> lines = CmapssMother.lines(5, 50, 42);
    Files.writeString(share.resolve("engine5.txt"), String.join("\n", lines) + "\n");
    await().atMost(Duration.ofSeconds(240)).until(() -> Files.exists(halted) || !first.isAlive());
    assertThat(first.isAlive()).as("service died before the hook:\n%s", first.tail()).isTrue();

    first.kill();
    assertThat(Files.readString(halted)).startsWith(dataset + "@1 pid ");
    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("data/blobs"));
    DatasetIndex stored = DatasetReader.of(store).index(dataset).orElseThrow();
    assertThat(stored.versions()).singleElement().satisfies(e -> assertThat(e.state()).isEqualTo(DatasetIndex.STORED));
    assertThat(share.resolve("engine5.txt")).as("the original stays until announced").exists();
    Thread.sleep(1000);
    assertThat(IngestEvents.landed(dataset)).isEmpty();

    IngestProcess second = startService(dataset, share, List.of(), "second.log");
    await().atMost(Duration.ofSeconds(240)).until(() -> !IngestEvents.landed(dataset).isEmpty() || !second.isAlive());
    assertThat(second.isAlive()).as("restarted service died:\n%s", second.tail()).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(share.resolve(".processed/engine5.txt")));
    Thread.sleep(2000); // more polls of the share: nothing else may be announced

    List<DataLanded> landed = IngestEvents.landed(dataset);
    assertThat(landed).hasSize(1);
    assertThat(landed.get(0).version()).isEqualTo(1);
    assertThat(landed.get(0).rows()).isEqualTo(50);
    DatasetIndex index = DatasetReader.of(store).index(dataset).orElseThrow();
    assertThat(index.versions()).singleElement().satisfies(e -> assertThat(e.state()).isEqualTo(DatasetIndex.ANNOUNCED));
    assertThat(DatasetReader.of(store).read(dataset, 1).rowCount()).isEqualTo(50);
    assertThat(IngestEvents.rejected(dataset)).isEmpty();
  }

  @Test
  void shouldConvertAFileAgainFromScratchAfterAKillHalfwayThroughIt() throws Exception {
    String dataset = "midway-" + UUID.randomUUID().toString().substring(0, 8);
    Path share = Files.createDirectories(dir.resolve("share"));
    Path halted = dir.resolve("halted");
    IngestEvents.start();
    String text = CmapssMother.repeated(200, 1000, 17); // ~35 MB: a first chunk of 1 MB, then chunks of 8 MB
    Path staging = dir.resolve("big.txt.tmp");
    Files.writeString(staging, text);
    long size = Files.size(staging);

    int port = IngestProcess.freePort();
    IngestProcess first = IngestProcess.start(dir.resolve("data"), dataset, share,
        List.of("-Dedgeloop.ingest.test.halt-mid-conversion=" + halted), List.of("--server.port=" + port), dir.resolve("first.log"));
    processes.add(first);
    Files.move(staging, share.resolve("big.txt"));
    await().atMost(Duration.ofSeconds(240)).until(() -> Files.exists(halted) || !first.isAlive());
    assertThat(first.isAlive()).as("service died before the hook:\n%s", first.tail()).isTrue();
    String[] at = Files.readString(halted).replaceAll(".*@", "").split("/");
    long read = Long.parseLong(at[0]);
    assertThat(read).as("halted halfway").isBetween(size / 2, size - 1);
    assertThat(IngestProcess.gauge(port, "edgeloop_ingest_progress_total_bytes")).as("progress total").isEqualTo(size);
    assertThat(IngestProcess.gauge(port, "edgeloop_ingest_progress_bytes")).as("progress").isEqualTo(read);
    List<Path> spooled = IngestProcess.spoolFiles(dir.resolve("data"));
    assertThat(spooled).as("a half-written Parquet file in the spool").hasSize(1);
    assertThat(Files.size(spooled.get(0))).isPositive();

    first.kill(); // mid-conversion
    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("data/blobs"));
    assertThat(DatasetReader.of(store).index(dataset)).as("no version, not even a half one").isEmpty();
    assertThat(store.list("datasets/" + dataset + "/")).isEmpty();
    assertThat(share.resolve("big.txt")).exists();

    IngestProcess second = startService(dataset, share, List.of(), "second.log");
    await().atMost(Duration.ofSeconds(240)).until(() -> !IngestEvents.landed(dataset).isEmpty() || !second.isAlive());
    assertThat(second.isAlive()).as("restarted service died:\n%s", second.tail()).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(share.resolve(".processed/big.txt")));
    Thread.sleep(2000);

    List<DataLanded> landed = IngestEvents.landed(dataset);
    assertThat(landed).hasSize(1);
    assertThat(landed.get(0).version()).isEqualTo(1);
    assertThat(landed.get(0).rows()).isEqualTo(200_000);
    assertThat(DatasetReader.of(store).index(dataset).orElseThrow().versions()).singleElement()
        .satisfies(e -> assertThat(e.state()).isEqualTo(DatasetIndex.ANNOUNCED));
    assertThat(DatasetReader.of(store).manifest(dataset, 1).sourceBytes()).isEqualTo(size);
    assertThat(DatasetReader.of(store).read(dataset, 1).rowCount()).isEqualTo(200_000);
    assertThat(IngestProcess.spoolFiles(dir.resolve("data"))).as("the killed run's spool file was deleted at start-up").isEmpty();
    assertThat(second.log()).contains("left by a conversion that did not finish");
    assertThat(IngestEvents.rejected(dataset)).isEmpty();
  }

  private IngestProcess startService(String dataset, Path share, List<String> jvmOptions, String log) throws Exception {
    IngestProcess process = IngestProcess.start(dir.resolve("data"), dataset, share, jvmOptions, List.of(), dir.resolve(log));
    processes.add(process);
    return process;
  }
}
