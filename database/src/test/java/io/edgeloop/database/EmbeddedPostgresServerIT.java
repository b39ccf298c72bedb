package io.edgeloop.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL: password authentication only, orphans of killed processes, earlier layouts. */
class EmbeddedPostgresServerIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  @TempDir Path dir;

  @Test
  void shouldAcceptOnlyThePasswordKeptInAnOwnerOnlyFile() throws Exception {
    Path data = dir.resolve("postgres");
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0, WAIT)) {
      Path passwordFile = dir.resolve("postgres.password");
      assertThat(Files.getPosixFilePermissions(passwordFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(Files.readString(passwordFile).strip()).isEqualTo(server.password()).hasSizeGreaterThanOrEqualTo(32);

      String url = server.jdbcUrl("postgres", null);
      assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", null).close()).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "wrong").close())
          .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
      try (Connection c = DriverManager.getConnection(url, "postgres", server.password()); Statement s = c.createStatement();
          ResultSet rules = s.executeQuery("select distinct auth_method from pg_hba_file_rules")) {
        List<String> methods = new ArrayList<>();
        while (rules.next()) {
          methods.add(rules.getString(1));
        }
        assertThat(methods).containsExactly("scram-sha-256");
      }
      assertThat(Files.readString(data.resolve("pg_hba.conf"))).doesNotContainPattern("(?m)^[^#]*\\btrust\\b");
    }
  }

  @Test
  void shouldKeepThePasswordAndTheDataAcrossRestarts() throws Exception {
    Path data = dir.resolve("postgres");
    String password;
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0, WAIT)) {
      password = server.password();
      server.createSchemas(List.of("training", "deploy"));
      exec(server, "create table training.kept(v int)", "insert into training.kept values (42)");
    }
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0, WAIT)) {
      assertThat(server.password()).isEqualTo(password);
      try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres", "training"), "postgres", password);
          Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select v from kept")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(42);
      }
    }
  }

  @Test
  void shouldStopTheServerAKilledProcessLeftBehindAndStartAgain() throws Exception {
    Path data = dir.resolve("postgres");
    Process child = orphanedServer(data, UnfinishedBinaries.workingDirectory());
    try {
      awaitReady(child);
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9: no shutdown hook runs
      Optional<ProcessHandle> orphan = StalePostmaster.runningPostmaster(data);
      assertThat(orphan).as("the killed JVM's PostgreSQL is still running").isPresent();

      try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0, WAIT)) {
        assertThat(orphan.get().isAlive()).isFalse();
        try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("select v from kept")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isEqualTo(7);
        }
      }
    } finally {
      child.destroyForcibly();
    }
  }

  /**
   * A process killed while zonky unpacked the binaries left them without their done mark; every
   * later start used to fail on the first link already there. Separate JVMs with a working
   * directory of their own, as zonky keeps what it unpacked per JVM.
   */
  @Test
  void shouldStartAfterAProcessWasKilledWhileUnpackingTheBinaries() throws Exception {
    Path binaries = dir.resolve("embedded-pg");
    Path first = dir.resolve("first");
    Process unpacker = orphanedServer(first, binaries);
    try {
      awaitReady(unpacker);
    } finally {
      unpacker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      StalePostmaster.stopIfOrphaned(first, WAIT);
    }
    Path unpacked;
    try (var folders = Files.list(binaries)) {
      unpacked = folders.filter(p -> p.getFileName().toString().startsWith("PG-")).findFirst().orElseThrow();
    }
    // What a kill mid-unpacking leaves (a CI run killed during its first start left this): no done
    // mark, and links in lib/ whose targets were not written yet. zonky keeps whatever exists
    // (even a file cut short) and fails on a dangling link.
    Files.delete(unpacked.resolve(".exists"));
    try (var libs = Files.list(unpacked.resolve("lib"))) {
      for (Path lib : libs.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
        Files.delete(lib);
      }
    }
    try (var links = Files.list(unpacked.resolve("lib"))) {
      assertThat(links.filter(Files::isSymbolicLink).count()).as("dangling links left").isPositive();
    }

    Process next = orphanedServer(dir.resolve("second"), binaries);
    try {
      awaitReady(next);
      assertThat(unpacked.resolve(".exists")).exists();
    } finally {
      next.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      StalePostmaster.stopIfOrphaned(dir.resolve("second"), WAIT);
    }
  }

  private static Process orphanedServer(Path data, Path binaries) throws Exception {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dot.epg.working-dir=" + binaries, "-cp", System.getProperty("java.class.path"), OrphanedServerMain.class.getName(),
        data.toString())
        .redirectErrorStream(true).start();
  }

  private static void awaitReady(Process child) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    List<String> seen = new ArrayList<>();
    while ((line = out.readLine()) != null && !line.startsWith("ready ")) {
      seen.add(line);
    }
    assertThat(line).as("child output: %s", seen).startsWith("ready ");
  }

  @Test
  void shouldRefuseADirectoryWhoseServerIsInUse() throws Exception {
    Path data = dir.resolve("postgres");
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0, WAIT)) {
      assertThatThrownBy(() -> EmbeddedPostgresServer.start(data, 0, WAIT))
          .hasMessageContaining("belongs to another running process");
      exec(server, "select 1"); // and the running one was left alone
    }
  }

  @Test
  void shouldMoveAClusterThatTrustedEveryoneOntoPasswords() throws Exception {
    Path data = dir.resolve("legacy");
    try (EmbeddedPostgres legacy = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
        .setServerConfig("listen_addresses", "127.0.0.1").start()) {
      try (Connection c = legacy.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("create table kept(v int)");
      }
    }
    assertThat(Files.readString(data.resolve("pg_hba.conf"))).containsPattern("(?m)^[^#]*\\btrust\\b");
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0, WAIT)) {
      String url = server.jdbcUrl("postgres", null);
      assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", null).close()).isInstanceOf(SQLException.class);
      exec(server, "select count(*) from kept");
    }
  }

  @Test
  void shouldMoveAsideAnEarlierLayoutThatIsNotACluster() throws Exception {
    Path data = dir.resolve("postgres");
    Files.createDirectories(data.resolve("training-service"));
    Files.writeString(data.resolve("training-service").resolve("PG_VERSION"), "18\n");
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0, WAIT)) {
      exec(server, "select 1");
    }
    try (var siblings = Files.list(dir)) {
      Path aside = siblings.filter(p -> p.getFileName().toString().startsWith("postgres.before-")).findFirst().orElseThrow();
      assertThat(aside.resolve("training-service").resolve("PG_VERSION")).exists();
    }
  }

  private static void exec(EmbeddedPostgresServer server, String... statements) throws SQLException {
    try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }
}
