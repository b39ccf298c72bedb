package io.edgeloop.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL (zonky's embedded binaries) on 127.0.0.1 with its data in one directory, kept
 * across restarts, and password authentication only: the superuser's password is generated once
 * into {@code <directory>.password} (mode 0600) and {@code pg_hba.conf} allows {@code scram-sha-256}
 * and nothing else. A new cluster is initialised that way (initdb's {@code --auth}/{@code --pwfile}
 * override zonky's {@code -A trust}), so it never accepts a connection without the password; a
 * cluster an earlier edgeloop made with {@code trust} gets the password and the new rules on its
 * first start here. A server that a killed process left running on the directory is stopped first,
 * and binaries a killed process left half unpacked are removed ({@link UnfinishedBinaries}).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  public static final String SUPERUSER = "postgres";
  private static final Pattern TRUST_RULE = Pattern.compile("(?m)^\\s*(local|host\\w*)\\s.*\\btrust\\s*$");
  private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  static final String HBA =
      """
      # Written by edgeloop: password (SCRAM) authentication only, never trust.
      # TYPE  DATABASE     USER  ADDRESS        METHOD
      local   all          all                  scram-sha-256
      host    all          all   127.0.0.1/32   scram-sha-256
      host    all          all   ::1/128        scram-sha-256
      local   replication  all                  scram-sha-256
      host    replication  all   127.0.0.1/32   scram-sha-256
      host    replication  all   ::1/128        scram-sha-256
      """;

  private final EmbeddedPostgres postgres;
  private final Path directory;
  private final String password;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path directory, String password) {
    this.postgres = postgres;
    this.directory = directory;
    this.password = password;
  }

  /**
   * Starts the server on {@code directory} ({@code port} 0 = a free port), initialising it first
   * when it is new.
   *
   * @param startupWait how long to wait for the server to accept connections
   */
  public static EmbeddedPostgresServer start(Path directory, int port, Duration startupWait) throws IOException {
    Path dir = directory.toAbsolutePath().normalize();
    Files.createDirectories(dir);
    moveAsideIfNotACluster(dir);
    Path passwordFile = passwordFile(dir);
    String password = password(dir);
    StalePostmaster.stopIfOrphaned(dir, Duration.ofSeconds(30));
    UnfinishedBinaries.removeFrom(UnfinishedBinaries.workingDirectory());
    Path hba = dir.resolve("pg_hba.conf");
    boolean trustedBefore = Files.exists(hba) && TRUST_RULE.matcher(Files.readString(hba)).find();
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir)
            .setCleanDataDirectory(false)
            .setPort(port != 0 ? port : freePort())
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("password_encryption", "scram-sha-256")
            // initdb of a new cluster: the last -A/--auth wins, and --pwfile sets the superuser's password.
            .setLocaleConfig("auth", "scram-sha-256")
            .setLocaleConfig("pwfile", passwordFile.toString())
            // zonky's readiness check connects as the superuser: with the password.
            .setConnectConfig("password", password)
            .setPGStartupWait(startupWait)
            .start();
    EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, dir, password);
    try {
      if (trustedBefore) {
        server.replaceTrust(hba);
      }
      server.requireNoTrust();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    log.info("embedded PostgreSQL on 127.0.0.1:{} (data in {}, password in {})", server.port(), dir, passwordFile);
    return server;
  }

  /**
   * The superuser's password of a server on {@code directory}: the one {@link #start} uses, made
   * now when there is none yet, so that clients can be configured before the server is up.
   */
  public static String password(Path directory) throws IOException {
    return SecretFile.readOrCreate(passwordFile(directory), SecretFile.randomBase64Url(24));
  }

  /** Where the superuser's password of a server on {@code directory} is kept. */
  public static Path passwordFile(Path directory) {
    Path dir = directory.toAbsolutePath().normalize();
    return dir.resolveSibling(dir.getFileName() + ".password");
  }

  public int port() {
    return postgres.getPort();
  }

  public String username() {
    return SUPERUSER;
  }

  public String password() {
    return password;
  }

  public Path directory() {
    return directory;
  }

  /** The JDBC URL of {@code database}, with {@code schema} as the connections' search path (null: the default). */
  public String jdbcUrl(String database, String schema) {
    return jdbcUrl(port(), database, schema);
  }

  /** The JDBC URL of {@code database} on a server at {@code port} of this host (see {@link #jdbcUrl(String, String)}). */
  public static String jdbcUrl(int port, String database, String schema) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + (schema == null ? "" : "?currentSchema=" + requireSchemaName(schema));
  }

  /** An unpooled DataSource of the {@code postgres} database as the superuser. */
  public DataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(jdbcUrl("postgres", null));
    ds.setUser(SUPERUSER);
    ds.setPassword(password);
    return ds;
  }

  /** Creates {@code schemas} in the {@code postgres} database where they are missing. */
  public void createSchemas(List<String> schemas) throws IOException {
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
      for (String schema : schemas) {
        s.execute("create schema if not exists " + requireSchemaName(schema));
      }
    } catch (SQLException e) {
      throw new IOException("could not create schemas " + schemas + ": " + e.getMessage(), e);
    }
  }

  /** A cluster made by an earlier edgeloop with trust: give the superuser its password, then allow only passwords. */
  private void replaceTrust(Path hba) throws IOException {
    Properties noPassword = new Properties();
    noPassword.setProperty("user", SUPERUSER);
    try (Connection c = new org.postgresql.Driver().connect(jdbcUrl("postgres", null), noPassword);
        Statement s = c.createStatement()) {
      s.execute("set password_encryption = 'scram-sha-256'");
      s.execute("alter role " + SUPERUSER + " password '" + password.replace("'", "''") + "'");
      Files.writeString(hba, HBA);
      s.execute("select pg_reload_conf()");
      log.warn("PostgreSQL in {} accepted connections without a password (trust); it now requires the password in {}",
          directory, passwordFile(directory));
    } catch (SQLException e) {
      throw new IOException("could not switch PostgreSQL in " + directory + " to password authentication: " + e.getMessage(), e);
    }
  }

  /** Fails when any rule the server loaded still trusts (the check reads what the server uses, not the file). */
  private void requireNoTrust() throws IOException {
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from pg_hba_file_rules where auth_method not in ('scram-sha-256', 'reject') or error is not null")) {
      rs.next();
      if (rs.getInt(1) != 0) {
        throw new IOException("pg_hba.conf in " + directory + " allows more than scram-sha-256: edgeloop refuses to run it so");
      }
    } catch (SQLException e) {
      throw new IOException("could not read the authentication rules of PostgreSQL in " + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * initdb wants an empty directory: a non-empty one that is not a cluster (an earlier edgeloop kept
   * one database per service under it) is moved aside, keeping its data, with a warning.
   */
  private static void moveAsideIfNotACluster(Path dir) throws IOException {
    if (Files.exists(dir.resolve("PG_VERSION"))) {
      return;
    }
    List<Path> children;
    try (var list = Files.list(dir)) {
      children = list.toList();
    }
    if (children.isEmpty()) {
      return;
    }
    if (children.size() == 1 && children.get(0).getFileName().toString().equals(StalePostmaster.LOCK_FILE)) {
      Files.delete(children.get(0)); // left by a start that failed in initdb
      return;
    }
    Path aside = dir.resolveSibling(dir.getFileName() + ".before-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.move(dir, aside);
    Files.createDirectories(dir);
    log.warn("{} held files of an earlier layout ({}); moved them to {} and started a new database there", dir,
        children.stream().map(p -> p.getFileName().toString()).sorted().toList(), aside);
  }

  private static String requireSchemaName(String schema) {
    if (!SCHEMA_NAME.matcher(schema).matches()) {
      throw new IllegalArgumentException("not a plain schema name: '" + schema + "'");
    }
    return schema;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Stops the server (fast shutdown); its data stays. */
  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
