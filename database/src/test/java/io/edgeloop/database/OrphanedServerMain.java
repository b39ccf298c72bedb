package io.edgeloop.database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

/**
 * Run in a child JVM by {@link EmbeddedPostgresServerIT}: starts a server on the directory given,
 * stores a row, says {@code ready} and waits to be killed (with {@code kill -9}, so no shutdown hook
 * stops the server).
 */
public final class OrphanedServerMain {
  public static void main(String[] args) throws Exception {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), 0, Duration.ofSeconds(90));
    try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("create table if not exists kept(v int)");
      s.execute("insert into kept values (7)");
    }
    System.out.println("ready " + server.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  private OrphanedServerMain() {}
}
