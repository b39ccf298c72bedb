package io.edgeloop.ingest.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeloop.ingest.dataset.DatasetCatalog;
import io.edgeloop.ingest.dataset.SourceClaims;
import io.edgeloop.storage.LocalArtifactStore;
import io.edgeloop.storage.dataset.Column;
import io.edgeloop.storage.dataset.DatasetIndex;
import io.edgeloop.storage.dataset.DatasetManifest;
import io.edgeloop.storage.dataset.DatasetReader;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The PostgreSQL side of replicas, on a real PostgreSQL migrated by ingest's own Flyway scripts:
 * two catalogs (two instances) storing at once into one store never take the same version number
 * nor lose an index update; content stored by one is not stored again by the other; a writer whose
 * fence fails stores nothing; a claim is exclusive while its lease runs and taken over after it.
 */
class ReplicaCoordinationIT {
  private static EmbeddedPostgres postgres;

  @TempDir Path dir;
  private JdbcTemplate jdbc;
  private TransactionTemplate tx;
  private LocalArtifactStore store;

  @BeforeAll
  static void start() throws IOException {
    postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
  }

  @AfterAll
  static void stop() throws IOException {
    postgres.close();
  }

  @BeforeEach
  void database() throws SQLException, IOException {
    String name = "ingest_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("create database " + name);
    }
    DataSource db = postgres.getDatabase("postgres", name);
    Flyway.configure().dataSource(db).locations("classpath:db/migration/ingest-service").load().migrate();
    jdbc = new JdbcTemplate(db);
    tx = new TransactionTemplate(new DataSourceTransactionManager(db));
    store = new LocalArtifactStore(dir.resolve("store"));
  }

  private DatasetCatalog instance() {
    return new DatasetCatalog(store, false, new PostgresDatasetLocks(jdbc, tx));
  }

  @Test
  void shouldNumberVersionsOfTwoInstancesStoringAtOnceWithoutCollisionsOrLostIndexUpdates() throws Exception {
    List<DatasetCatalog> instances = List.of(instance(), instance());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < instances.size(); i++) {
      DatasetCatalog catalog = instances.get(i);
      String prefix = "i" + i + "-";
      done.add(pool.submit((Callable<Void>) () -> {
        for (int n = 0; n < 25; n++) {
          catalog.store(draft("ds", prefix + n), parquet(prefix + n), DatasetCatalog.Fence.NONE);
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();

    DatasetIndex index = DatasetReader.of(store).index("ds").orElseThrow();
    assertThat(index.versions().stream().map(DatasetIndex.Entry::version).toList())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
    assertThat(index.versions().stream().map(DatasetIndex.Entry::sourceItem).distinct()).hasSize(50);
    for (DatasetIndex.Entry entry : index.versions()) {
      DatasetManifest manifest = DatasetReader.of(store).manifest("ds", entry.version());
      assertThat(manifest.source().item()).as("v%d", entry.version()).isEqualTo(entry.sourceItem());
      assertThat(store.exists("datasets/ds/v" + entry.version() + "/data.parquet")).isTrue();
    }
  }

  @Test
  void shouldNotStoreContentAnotherInstanceStoredMeanwhile() throws Exception {
    DatasetCatalog a = instance();
    DatasetCatalog b = instance();
    b.index("ds"); // b's cache: no versions yet
    a.store(draft("ds", "one.txt"), parquet("one.txt"), DatasetCatalog.Fence.NONE);

    DatasetManifest sameContent = draft("ds", "one.txt");
    assertThatThrownBy(() -> b.store(sameContent, parquet("one.txt"), DatasetCatalog.Fence.NONE))
        .isInstanceOf(DatasetCatalog.AlreadyStored.class).hasMessage("already stored as ds@1");
    assertThat(DatasetReader.of(store).index("ds").orElseThrow().versions()).hasSize(1);
  }

  @Test
  void shouldStoreNothingWhenTheFenceFails() throws Exception {
    DatasetCatalog catalog = instance();
    assertThatThrownBy(() -> catalog.store(draft("ds", "x.txt"), parquet("x.txt"), () -> {
      throw new SourceClaims.ClaimLostException("share|/s|x.txt", "other");
    })).isInstanceOf(SourceClaims.ClaimLostException.class);
    assertThat(store.list("datasets/ds/")).isEmpty();
  }

  @Test
  void shouldGiveAClaimToOneInstanceUntilItsLeaseRunsOut() throws Exception {
    PostgresSourceClaims a = new PostgresSourceClaims(jdbc, "a", Duration.ofMillis(1500));
    PostgresSourceClaims b = new PostgresSourceClaims(jdbc, "b", Duration.ofMillis(1500));
    assertThat(a.claim("k")).isTrue();
    assertThat(a.claim("k")).as("again, by its holder").isTrue();
    assertThat(b.claim("k")).isFalse();
    a.verify("k");
    assertThatThrownBy(() -> b.verify("k")).isInstanceOf(SourceClaims.ClaimLostException.class).hasMessageContaining("held by a");

    Thread.sleep(2000); // a stops renewing (it died)
    assertThat(b.claim("k")).as("taken over").isTrue();
    assertThatThrownBy(() -> a.verify("k")).isInstanceOf(SourceClaims.ClaimLostException.class).hasMessageContaining("held by b");
    a.release("k");
    assertThat(a.claim("k")).as("a's release did not free b's claim").isFalse();
    b.release("k");
    assertThat(a.claim("k")).isTrue();
  }

  private Path parquet(String name) throws IOException {
    return Files.writeString(dir.resolve(UUID.randomUUID() + ".parquet"), "not really parquet: " + name);
  }

  private static DatasetManifest draft(String dataset, String item) throws IOException {
    String sha = DatasetReader.sha256(new java.io.ByteArrayInputStream(item.getBytes()));
    return new DatasetManifest(dataset, 0, List.of(new Column("x", "int64")), 1, 10, "data-" + sha, null, null, Map.of(),
        new DatasetManifest.Source("share", "/s", item), sha, 10, "csv", Instant.now());
  }
}
