package io.edgeloop.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeloop.contracts.DataLanded;
import io.edgeloop.contracts.DataRejected;
import io.edgeloop.contracts.ReceivedEvent;
import io.edgeloop.contracts.Topics;
import io.edgeloop.storage.ArtifactStore;
import io.edgeloop.storage.ArtifactStores;
import io.edgeloop.storage.StorageSettings;
import io.edgeloop.storage.dataset.DatasetIndex;
import io.edgeloop.storage.dataset.DatasetReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One ingest-service (its exec jar, a JVM of its own) on the given broker and PostgreSQL server, with
 * a C-MAPSS share, a local store and a database of its own; files dropped into the share, and the
 * exact end state asserted: one dataset version per good file, one quarantined original per bad
 * one, one distinct {@code DataLanded} per version and one {@code DataRejected} per bad file on the
 * broker (a re-sent event keeps its id, so consumers dedupe it), nothing dead-lettered.
 */
final class IngestRun implements AutoCloseable {
  final String dataset = "rel-" + UUID.randomUUID().toString().substring(0, 8);
  final Path share;
  private final StoreChoice store;
  private final BrokerContainer broker;
  private final List<String> args;
  private final Path log;
  private ServiceProcess service;
  private final Set<String> good = new TreeSet<>();
  private final Set<String> bad = new TreeSet<>();

  /** Where the versions go: a local folder, or a blob container (Azurite). */
  interface StoreChoice {
    List<String> args();

    ArtifactStore open() throws IOException;

    static StoreChoice local(Path folder) {
      StorageSettings settings = StorageSettings.of(folder.toUri().toString());
      return new StoreChoice() {
        public List<String> args() {
          return List.of("--edgeloop.storage.uri=" + settings.uri());
        }

        public ArtifactStore open() throws IOException {
          return ArtifactStores.open(settings);
        }
      };
    }

    static StoreChoice azurite(AzuriteContainer azurite) {
      String uri = azurite.endpoint() + "/rel" + UUID.randomUUID().toString().substring(0, 8);
      return new StoreChoice() {
        public List<String> args() {
          return List.of("--edgeloop.storage.uri=" + uri, "--edgeloop.storage.azure.connection-string=" + azurite.connectionString());
        }

        public ArtifactStore open() throws IOException {
          return ArtifactStores.open(new StorageSettings(java.net.URI.create(uri), new StorageSettings.Azure(azurite.connectionString(), null, false)));
        }
      };
    }
  }

  IngestRun(Path dir, BrokerContainer broker, PostgresContainer postgres) throws Exception {
    this(dir, broker, postgres, StoreChoice.local(dir.resolve("store")));
  }

  IngestRun(Path dir, BrokerContainer broker, PostgresContainer postgres, StoreChoice store) throws Exception {
    this(dir, broker, postgres, store, List.of());
  }

  /** {@code jvmOptions} for the first start only (a crash-test hook); {@link #killAndRestart()} starts without them. */
  IngestRun(Path dir, BrokerContainer broker, PostgresContainer postgres, StoreChoice store, List<String> jvmOptions) throws Exception {
    this.broker = broker;
    this.share = Files.createDirectories(dir.resolve("share"));
    this.store = store;
    String database = "ingest_" + dataset.replace('-', '_');
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password())) {
      c.createStatement().execute("create database " + database);
    }
    List<String> args = new ArrayList<>(store.args());
    args.addAll(List.of(
        "--edgeloop.data-dir=" + dir.resolve("data"),
        "--edgeloop.kafka.bootstrap-servers=" + broker.bootstrapServers(),
        "--spring.datasource.url=" + postgres.jdbcUrl().replace("/postgres", "/" + database),
        "--spring.datasource.username=" + postgres.username(),
        "--spring.datasource.password=" + postgres.password(),
        // A connection the pool cannot get fails after 3 s instead of Hikari's 30, so a 30 s outage
        // fails calls (claims, locks, the outbox) instead of only holding them until it ends.
        "--spring.datasource.hikari.connection-timeout=3000",
        "--edgeloop.ingest.shares[0].name=reliability",
        "--edgeloop.ingest.shares[0].path=" + share,
        "--edgeloop.ingest.shares[0].dataset=" + dataset,
        "--edgeloop.ingest.shares[0].format.preset=cmapss",
        "--edgeloop.ingest.shares[0].settle-time=300ms",
        "--edgeloop.ingest.shares[0].poll-interval=200ms",
        // A send the broker does not confirm fails after 3 s instead of the producer's 2 minutes,
        // so an outage outlasts it and only a later try can deliver the event.
        "--spring.cloud.stream.kafka.binder.producer-properties.delivery.timeout.ms=3000",
        "--spring.cloud.stream.kafka.binder.producer-properties.request.timeout.ms=2000",
        "--spring.cloud.stream.kafka.binder.producer-properties.max.block.ms=3000"));
    this.args = List.copyOf(args);
    this.log = dir.resolve("ingest.log");
    this.service = ServiceProcess.start(ServiceProcess.jar("ingest"), jvmOptions, this.args, log);
    service.awaitHealthy(Duration.ofSeconds(240));
  }

  /** {@code kill -9} of the service, then a start as an operator's restart, on the same data, database and share. */
  void killAndRestart() throws Exception {
    service.kill();
    service = ServiceProcess.start(ServiceProcess.jar("ingest"), List.of(), args, log);
    service.awaitHealthy(Duration.ofSeconds(240));
  }

  /** Drops C-MAPSS files: {@code count} good ones, and one bad (a row a field short) when {@code withBad}. */
  void drop(String prefix, int count, boolean withBad) throws IOException {
    for (int i = 1; i <= count; i++) {
      String name = prefix + "-" + i + ".txt";
      write(name, cmapss(i, 20, prefix.hashCode() * 31L + i, false));
      good.add(name);
    }
    if (withBad) {
      String name = prefix + "-ragged.txt";
      write(name, cmapss(1, 5, prefix.hashCode(), true));
      bad.add(name);
    }
  }

  /** Written beside and renamed in, as a copy tool that finishes a file does. */
  private void write(String name, String text) throws IOException {
    Path partial = share.resolve("." + name + ".part");
    Files.writeString(partial, text);
    Files.move(partial, share.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Waits until every good file dropped so far is a version and announced, and every bad one quarantined and announced. */
  void awaitAccounted(Duration timeout) throws InterruptedException {
    await().atMost(timeout).pollInterval(Duration.ofSeconds(1))
        .until(() -> Stream.concat(good.stream(), bad.stream()).noneMatch(name -> Files.exists(share.resolve(name))) || !service.isAlive());
    assertThat(service.isAlive()).as("the service died; its log ends:\n%s", tailQuietly()).isTrue();
    // Taken from the share; the events may follow (a retried send). Whatever is missing after that
    // shows in assertExactlyOnce, by name.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!(landedVersions().size() >= good.size() && rejectedItems().containsAll(bad)) && System.nanoTime() < deadline) {
      Thread.sleep(1000);
    }
  }

  /** The exact end state (after a few more polls and relay passes, so a late duplicate would show). */
  void assertExactlyOnce() throws Exception {
    Thread.sleep(5000);
    DatasetIndex index = DatasetReader.of(store.open()).index(dataset).orElseThrow();
    List<String> items = index.versions().stream().map(DatasetIndex.Entry::sourceItem).sorted().toList();
    assertThat(items).as("one version per good file").containsExactlyElementsOf(good);
    assertThat(index.versions().stream().map(DatasetIndex.Entry::state)).as("every version announced").allMatch(DatasetIndex.ANNOUNCED::equals);

    List<ReceivedEvent<?>> landed = events(Topics.DATA_LANDED, DataLanded.class);
    Map<Long, Set<String>> idsByVersion = landed.stream().collect(Collectors.groupingBy(
        e -> ((DataLanded) e.data()).version(), Collectors.mapping(ReceivedEvent::id, Collectors.toSet())));
    assertThat(idsByVersion.keySet()).as("a DataLanded for every version, none for a version not stored")
        .containsExactlyInAnyOrderElementsOf(index.versions().stream().map(DatasetIndex.Entry::version).toList());
    assertThat(idsByVersion.values()).as("one event id per version: a re-sent event is the same event").allMatch(ids -> ids.size() == 1);

    List<ReceivedEvent<?>> rejected = events(Topics.DATA_REJECTED, DataRejected.class);
    Map<String, Set<String>> idsByItem = rejected.stream().collect(Collectors.groupingBy(
        e -> ((DataRejected) e.data()).source().item(), Collectors.mapping(ReceivedEvent::id, Collectors.toSet())));
    assertThat(idsByItem.keySet()).as("a DataRejected for every bad file and nothing else").containsExactlyInAnyOrderElementsOf(bad);
    assertThat(idsByItem.values()).allMatch(ids -> ids.size() == 1);
    for (String name : bad) {
      assertThat(share.resolve(".quarantine").resolve(name)).as("the bad original kept in quarantine").exists();
    }
    for (String name : good) {
      assertThat(share.resolve(name)).as("%s taken from the share", name).doesNotExist();
    }
    assertThat(Topic.records(broker.bootstrapServers(), Topics.deadLetters("ingest-service"))).as("nothing dead-lettered").isEmpty();
    assertThat(service.health()).contains("\"UP\"");
  }

  String log() throws IOException {
    return service.log();
  }

  private Set<Long> landedVersions() {
    return events(Topics.DATA_LANDED, DataLanded.class).stream().map(e -> ((DataLanded) e.data()).version())
        .collect(Collectors.toSet());
  }

  private Set<String> rejectedItems() {
    return events(Topics.DATA_REJECTED, DataRejected.class).stream().map(e -> ((DataRejected) e.data()).source().item())
        .collect(Collectors.toSet());
  }

  private List<ReceivedEvent<?>> events(String topic, Class<?> type) {
    return Topic.events(broker.bootstrapServers(), topic).stream().filter(e -> type.isInstance(e.data()))
        .filter(e -> e.data() instanceof DataLanded l ? l.dataset().equals(dataset) : ((DataRejected) e.data()).dataset().equals(dataset))
        .toList();
  }

  private String tailQuietly() {
    try {
      return service.tail();
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** C-MAPSS-shaped lines (unit, cycle, 3 settings, 21 sensors); {@code ragged}: the third a field short. */
  static String cmapss(int unit, int cycles, long seed, boolean ragged) {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    for (int cycle = 1; cycle <= cycles; cycle++) {
      StringBuilder line = new StringBuilder().append(unit).append(' ').append(cycle);
      for (int i = 0; i < (ragged && cycle == 3 ? 23 : 24); i++) {
        line.append(' ').append(String.format(Locale.ROOT, "%.4f", 100 * random.nextDouble() - (i < 3 ? 50 : 0)));
      }
      lines.add(line.append("  ").toString());
    }
    return String.join("\n", lines) + "\n";
  }

  @Override
  public void close() throws InterruptedException {
    service.close();
  }
}
