package io.edgeloop.packaging;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A real PostgreSQL for packaging's tests: one embedded server per test JVM, a fresh database per
 * call, migrated by the service's own Flyway scripts (so the tests run on the production schema).
 */
public final class PackagingDatabase {
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static EmbeddedPostgres server;

  private PackagingDatabase() {}

  /** A new database with packaging's schema. */
  public static synchronized DataSource migrated() {
    DataSource db = server().getDatabase("postgres", create());
    Flyway.configure().dataSource(db).locations("classpath:db/migration/packaging-service").load().migrate();
    return db;
  }

  /** The JDBC URL (user included) of a new, empty database, for a service that migrates it itself. */
  public static synchronized String emptyUrl() {
    return server().getJdbcUrl("postgres", create());
  }

  private static String create() {
    String name = "packaging_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
    try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return name;
  }

  private static synchronized EmbeddedPostgres server() {
    try {
      if (server == null) {
        server = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            server.close();
          } catch (IOException ignored) {
            // the JVM is exiting
          }
        }));
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
