package io.edgeloop.reliability;

import io.edgeloop.testing.FreePorts;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.UUID;
import org.testcontainers.containers.GenericContainer;

/** Debian's PostgreSQL server in a container ({@link LocalImages#postgres()}) on the host network at a free loopback port. */
final class PostgresContainer extends GenericContainer<PostgresContainer> {
  private final int port = FreePorts.next();
  private final String password = UUID.randomUUID().toString();

  PostgresContainer() {
    super(LocalImages.postgres());
    withNetworkMode("host");
    withEnv("PG_PORT", String.valueOf(port));
    withEnv("PG_PASSWORD", password);
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  String username() {
    return "postgres";
  }

  String password() {
    return password;
  }

  @Override
  public void start() {
    super.start();
    awaitReady(Duration.ofSeconds(60));
  }

  void awaitReady(Duration timeout) {
    Ready.await("PostgreSQL", timeout, () -> {
      try (Connection c = DriverManager.getConnection(jdbcUrl(), username(), password)) {
        c.createStatement().execute("select 1");
      }
    }, this::getLogs);
  }
}
