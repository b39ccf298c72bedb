package io.edgeloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.DataLanded;
import io.edgeloop.contracts.DataRejected;
import io.edgeloop.storage.LocalArtifactStore;
import io.edgeloop.storage.dataset.DatasetIndex;
import io.edgeloop.storage.dataset.DatasetReader;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ingest instances (separate JVMs at {@code -Xmx256m}) on one share, one store and one real
 * PostgreSQL, announcing on the test's Kafka broker: they split the files with each stored or
 * quarantined exactly once, and a file claimed by an instance killed with SIGKILL is finished by
 * the other once the claim runs out (lease 3 s here). Slow: two service start-ups per test.
 */
class IngestReplicasIT {
  private static final String LEASE = "3s";
  private static EmbeddedPostgres postgres;

  @TempDir Path dir;
  private final List<IngestProcess> processes = new ArrayList<>();
  private String jdbcUrl;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @BeforeEach
  void database() throws SQLException {
    String name = "ingest_replicas_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres")); Statement s = c.createStatement()) {
      s.execute("create database " + name);
    }
    jdbcUrl = postgres.getJdbcUrl("postgres", name);
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (IngestProcess p : processes) {
      p.kill();
    }
  }

  @Test
  void shouldStoreOrQuarantineEachFileExactlyOnceWhenTwoReplicasWatchOneShare() throws Exception {
    String dataset = "replicas-" + UUID.randomUUID().toString().substring(0, 8);
    Path share = Files.createDirectories(dir.resolve("share"));
    IngestEvents.start();
    IngestProcess a = replica("a", dataset, share, List.of());
    IngestProcess b = replica("b", dataset, share, List.of());
    await().atMost(Duration.ofMinutes(4)).until(() -> (a.started() && b.started()) || !a.isAlive() || !b.isAlive());
    assertThat(a.isAlive()).as("replica a:\n%s", a.tail()).isTrue();
    assertThat(b.isAlive()).as("replica b:\n%s", b.tail()).isTrue();

    List<String> good = IntStream.rangeClosed(1, 20).mapToObj(i -> "engine" + i + ".txt").toList();
    List<String> bad = IntStream.rangeClosed(1, 4).mapToObj(i -> "ragged" + i + ".txt").toList();
    for (int i = 0; i < good.size(); i++) {
      stage(share, good.get(i), CmapssMother.text(i + 1, 40 + i, 100 + i));
    }
    for (int i = 0; i < bad.size(); i++) {
      stage(share, bad.get(i), CmapssMother.text(1, 5, 200 + i) + "1 6 0.5\n");
    }
    for (String name : concat(good, bad)) {
      Files.move(share.resolve("." + name + ".tmp"), share.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    await().atMost(Duration.ofMinutes(4)).until(() -> IngestEvents.landed(dataset).size() >= good.size()
        && IngestEvents.rejected(dataset).size() >= bad.size());
    Thread.sleep(8000); // more polls and retries on both replicas: nothing else may happen

    List<DataLanded> landed = IngestEvents.landed(dataset);
    assertThat(landed).as("one DataLanded per good file").hasSize(good.size());
    assertThat(landed.stream().map(DataLanded::version).toList()).containsExactlyInAnyOrderElementsOf(
        IntStream.rangeClosed(1, good.size()).mapToObj(v -> (long) v).toList());
    assertThat(landed.stream().map(e -> e.source().item()).toList()).containsExactlyInAnyOrderElementsOf(good);
    List<DataRejected> rejected = IngestEvents.rejected(dataset);
    assertThat(rejected.stream().map(e -> e.source().item()).toList()).as("one DataRejected per bad file")
        .containsExactlyInAnyOrderElementsOf(bad);
    assertThat(rejected).allSatisfy(e -> assertThat(e.reasonCode().wire()).isEqualTo("ragged_rows"));

    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("store"));
    DatasetIndex index = DatasetReader.of(store).index(dataset).orElseThrow();
    assertThat(index.versions()).hasSize(good.size()).allSatisfy(e -> assertThat(e.state()).isEqualTo(DatasetIndex.ANNOUNCED));
    assertThat(index.versions().stream().map(DatasetIndex.Entry::sourceItem).toList()).containsExactlyInAnyOrderElementsOf(good);
    for (DataLanded e : landed) {
      int i = good.indexOf(e.source().item());
      assertThat(e.rows()).as(e.source().item()).isEqualTo(40 + i);
      assertThat(DatasetReader.of(store).read(dataset, e.version()).rowCount()).isEqualTo(40 + i);
    }
    assertThat(store.list("datasets/" + dataset + "/")).as("nothing but the versions and the index").hasSize(2 * good.size() + 1);
    assertThat(names(share.resolve(".processed"))).containsExactlyInAnyOrderElementsOf(good);
    assertThat(names(share.resolve(".quarantine")).stream().filter(n -> !n.endsWith(".reason.json")).toList())
        .containsExactlyInAnyOrderElementsOf(bad);
    assertThat(names(share)).as("the share is empty").isEmpty();
    assertThat(claimsLeft()).as("every claim released").isZero();
    assertThat(a.log()).as("replica a did some of the work").contains("-> " + dataset + "@");
    assertThat(b.log()).as("replica b did some of the work").contains("-> " + dataset + "@");
  }

  @Test
  void shouldFinishAFileClaimedByAReplicaKilledHalfwayThroughIt() throws Exception {
    String dataset = "takeover-" + UUID.randomUUID().toString().substring(0, 8);
    Path share = Files.createDirectories(dir.resolve("share"));
    Path halted = dir.resolve("halted");
    IngestEvents.start();
    IngestProcess a = replica("a", dataset, share, List.of("-Dedgeloop.ingest.test.halt-mid-conversion=" + halted));
    stage(share, "big.txt", CmapssMother.repeated(200, 1000, 17)); // ~35 MB, 200,000 lines
    Files.move(share.resolve(".big.txt.tmp"), share.resolve("big.txt"), StandardCopyOption.ATOMIC_MOVE);
    await().atMost(Duration.ofMinutes(4)).until(() -> Files.exists(halted) || !a.isAlive());
    assertThat(a.isAlive()).as("replica a died before the hook:\n%s", a.tail()).isTrue();

    IngestProcess b = replica("b", dataset, share, List.of());
    await().atMost(Duration.ofMinutes(4)).until(() -> b.started() || !b.isAlive());
    assertThat(b.isAlive()).as("replica b:\n%s", b.tail()).isTrue();
    Thread.sleep(8000); // b polls the share and finds the file claimed by a, which is alive and renewing its claim
    assertThat(IngestEvents.landed(dataset)).as("b leaves a live replica's file alone").isEmpty();
    assertThat(claimsLeft()).isEqualTo(1);
    assertThat(b.log()).doesNotContain("taking over")
        .as("b was refused the claim, and never read the file").contains("big.txt will be retried: another instance is on it")
        .doesNotContain("leaving the input to it");

    a.kill();
    await().atMost(Duration.ofMinutes(3)).until(() -> !IngestEvents.landed(dataset).isEmpty() || !b.isAlive());
    assertThat(b.isAlive()).as("replica b:\n%s", b.tail()).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(share.resolve(".processed/big.txt")));
    Thread.sleep(5000);

    List<DataLanded> landed = IngestEvents.landed(dataset);
    assertThat(landed).hasSize(1);
    assertThat(landed.get(0).version()).isEqualTo(1);
    assertThat(landed.get(0).rows()).isEqualTo(200_000);
    assertThat(b.log()).contains("taking over share|" + share + "|big.txt from ");
    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("store"));
    assertThat(DatasetReader.of(store).index(dataset).orElseThrow().versions()).singleElement()
        .satisfies(e -> assertThat(e.state()).isEqualTo(DatasetIndex.ANNOUNCED));
    assertThat(store.list("datasets/" + dataset + "/")).hasSize(3);
    assertThat(names(share)).isEmpty();
    assertThat(claimsLeft()).isZero();
    assertThat(IngestEvents.rejected(dataset)).isEmpty();
  }

  private IngestProcess replica(String name, String dataset, Path share, List<String> jvmOptions) throws IOException {
    IngestProcess process = IngestProcess.start(dir.resolve(name), dataset, share, jvmOptions, List.of(
        "--spring.datasource.url=" + jdbcUrl,
        "--spring.datasource.username=postgres",
        "--edgeloop.storage.uri=file:" + dir.resolve("store"),
        "--edgeloop.ingest.claims.lease=" + LEASE), dir.resolve(name + ".log"));
    processes.add(process);
    return process;
  }

  private long claimsLeft() throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select count(*) from source_claim")) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Writes under a hidden temporary name; the test renames it into place. */
  private static void stage(Path share, String name, String text) throws IOException {
    Files.writeString(share.resolve("." + name + ".tmp"), text);
  }

  /** Regular files directly in {@code folder}, hidden ones left out. */
  private static List<String> names(Path folder) throws IOException {
    try (var files = Files.list(folder)) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
