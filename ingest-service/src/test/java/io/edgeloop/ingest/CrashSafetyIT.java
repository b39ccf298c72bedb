package io.edgeloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.DataLanded;
import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.storage.LocalArtifactStore;
import io.edgeloop.storage.dataset.DatasetIndex;
import io.edgeloop.storage.dataset.DatasetReader;
import java.io.File;
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
 * Slow (two service start-ups, about 40 s): the service runs in its own JVM, is killed with
 * SIGKILL right after it stored a version and before it announced it (a test hook holds it
 * there), and is started again: exactly one version and exactly one DataLanded exist for the file.
 */
class CrashSafetyIT {
  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void shouldAnnounceAVersionStoredBeforeAKillExactlyOnceAfterRestart() throws Exception {
    String dataset = "crash-" + UUID.randomUUID().toString().substring(0, 8);
    Path share = Files.createDirectories(dir.resolve("share"));
    Path halted = dir.resolve("halted");
    IngestEvents.start();

    Process first = startService(dataset, share, halted, "first.log");
    List<String> lines = CmapssMother.lines(5, 50, 42);
    Files.writeString(share.resolve("engine5.txt"), String.join("\n", lines) + "\n");
    await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(halted) || !first.isAlive());
    assertThat(first.isAlive()).as("service died before the hook:\n%s", tail("first.log")).isTrue();

    first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no cleanup
    assertThat(Files.readString(halted)).isEqualTo(dataset + "@1");
    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("data/blobs"));
    DatasetIndex stored = DatasetReader.of(store).index(dataset).orElseThrow();
    assertThat(stored.versions()).singleElement().satisfies(e -> assertThat(e.state()).isEqualTo(DatasetIndex.STORED));
    assertThat(share.resolve("engine5.txt")).as("the original stays until announced").exists();
    Thread.sleep(1000);
    assertThat(IngestEvents.landed(dataset)).isEmpty();

    Process second = startService(dataset, share, null, "second.log");
    await().atMost(Duration.ofSeconds(90)).until(() -> !IngestEvents.landed(dataset).isEmpty() || !second.isAlive());
    assertThat(second.isAlive()).as("restarted service died:\n%s", tail("second.log")).isTrue();
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

  private String tail(String log) throws java.io.IOException {
    List<String> lines = Files.readAllLines(dir.resolve(log));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private Process startService(String dataset, Path share, Path haltSignal, String log) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1"));
    if (haltSignal != null) {
      command.add("-Dedgeloop.ingest.test.halt-after-store=" + haltSignal);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), IngestApplication.class.getName(),
        "--server.port=0",
        "--edgeloop.data-dir=" + dir.resolve("data"),
        "--edgeloop.kafka.bootstrap-servers=" + EdgeloopKafka.bootstrapServers(),
        "--edgeloop.ingest.shares[0].path=" + share,
        "--edgeloop.ingest.shares[0].dataset=" + dataset,
        "--edgeloop.ingest.shares[0].format.preset=cmapss",
        "--edgeloop.ingest.shares[0].settle-time=300ms",
        "--edgeloop.ingest.shares[0].poll-interval=100ms"));
    File logFile = dir.resolve(log).toFile();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile).start();
    processes.add(process);
    return process;
  }
}
