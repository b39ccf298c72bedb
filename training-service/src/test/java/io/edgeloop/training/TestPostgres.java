package io.edgeloop.training;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** One real PostgreSQL (zonky embedded binaries) per test JVM; each test class gets its own fresh database. */
public final class TestPostgres {
  private static EmbeddedPostgres postgres;

  /** A JDBC URL of a new, empty database named after {@code name}. */
  public static synchronized String newDatabase(String name) {
    try {
      if (postgres == null) {
        postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            postgres.close();
          } catch (IOException ignored) {
            // exiting anyway
          }
        }));
      }
      String db = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_" + System.nanoTime();
      try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("create database " + db);
      }
      return postgres.getJdbcUrl("postgres", db);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private TestPostgres() {}
}
