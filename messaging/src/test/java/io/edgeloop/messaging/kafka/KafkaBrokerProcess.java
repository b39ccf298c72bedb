package io.edgeloop.messaging.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one) in its own process, started
 * from the Kafka jars on the test classpath, so a test can stop, kill and restart it. Its log lives
 * in a folder of the test's, so a restart keeps every record.
 *
 * <p>Listeners: {@code INTERNAL} (plain, loopback; the test's admin and the broker's own traffic)
 * always; {@code SASL} (SASL_SSL with SCRAM-SHA-512) and {@code MTLS} (TLS with client
 * certificates required) with {@link Builder#secured}. Secured brokers run the standard authorizer:
 * principals on the secured listeners need ACLs; the plain internal listener is the super user.
 */
public final class KafkaBrokerProcess implements AutoCloseable {
  private final Path dir;
  private final Map<String, Integer> ports;
  private final TlsMaterial tls;
  private final Map<String, String> scramUsers;
  private final Properties server = new Properties();
  private Process process;

  private KafkaBrokerProcess(Path dir, TlsMaterial tls, Map<String, String> scramUsers) throws IOException {
    this.dir = dir;
    this.tls = tls;
    this.scramUsers = scramUsers;
    this.ports = new LinkedHashMap<>();
    ports.put("INTERNAL", freePort());
    ports.put("CONTROLLER", freePort());
    if (tls != null) {
      ports.put("SASL", freePort());
      ports.put("MTLS", freePort());
    }
  }

  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** How the broker is set up; {@link #start()} formats its storage (once) and starts it. */
  public static final class Builder {
    private final Path dir;
    private TlsMaterial tls;
    private final Map<String, String> scramUsers = new LinkedHashMap<>();

    private Builder(Path dir) {
      this.dir = dir;
    }

    /** Adds the SASL_SSL and mTLS listeners, the authorizer and these SCRAM-SHA-512 users. */
    public Builder secured(TlsMaterial tls, Map<String, String> scramUsers) {
      this.tls = tls;
      this.scramUsers.putAll(scramUsers);
      return this;
    }

    public KafkaBrokerProcess start() throws IOException, InterruptedException {
      KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, tls, scramUsers);
      broker.configure();
      broker.format();
      broker.start();
      return broker;
    }
  }

  /** Bootstrap servers of a listener: {@code INTERNAL}, {@code SASL} or {@code MTLS}. */
  public String bootstrap(String listener) {
    Integer port = ports.get(listener);
    if (port == null) {
      throw new IllegalArgumentException("no listener " + listener + "; listeners: " + ports.keySet());
    }
    return "127.0.0.1:" + port;
  }

  /** An admin client on the internal (super user) listener. */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap("INTERNAL")));
  }

  /** Starts the broker process (again) on the same ports and log, and waits until it answers. */
  public void start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      return;
    }
    Path log = dir.resolve("broker.log");
    process = java("kafka.Kafka", dir.resolve("server.properties").toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      try (Admin admin = admin()) {
        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        return;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IOException("the Kafka broker did not start; see " + log + " (" + e.getMessage() + ")");
        }
        Thread.sleep(250);
      }
    }
  }

  /** Stops the broker as an operator would (SIGTERM, controlled shutdown). */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /** Kills the broker process at once (SIGKILL), as a power cut would. */
  public void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private void configure() throws IOException {
    Files.createDirectories(dir);
    List<String> listeners = new ArrayList<>();
    List<String> advertised = new ArrayList<>();
    List<String> protocols = new ArrayList<>();
    Map<String, String> protocol = Map.of("INTERNAL", "PLAINTEXT", "CONTROLLER", "PLAINTEXT", "SASL", "SASL_SSL", "MTLS", "SSL");
    ports.forEach((name, port) -> {
      listeners.add(name + "://127.0.0.1:" + port);
      if (!name.equals("CONTROLLER")) {
        advertised.add(name + "://127.0.0.1:" + port);
      }
      protocols.add(name + ":" + protocol.get(name));
    });
    server.setProperty("process.roles", "broker,controller");
    server.setProperty("node.id", "1");
    server.setProperty("controller.quorum.voters", "1@127.0.0.1:" + ports.get("CONTROLLER"));
    server.setProperty("listeners", String.join(",", listeners));
    server.setProperty("advertised.listeners", String.join(",", advertised));
    server.setProperty("listener.security.protocol.map", String.join(",", protocols));
    server.setProperty("inter.broker.listener.name", "INTERNAL");
    server.setProperty("controller.listener.names", "CONTROLLER");
    server.setProperty("log.dirs", dir.resolve("data").toAbsolutePath().toString());
    server.setProperty("num.partitions", "4");
    server.setProperty("auto.create.topics.enable", "true");
    server.setProperty("offsets.topic.replication.factor", "1");
    server.setProperty("transaction.state.log.replication.factor", "1");
    server.setProperty("transaction.state.log.min.isr", "1");
    server.setProperty("group.initial.rebalance.delay.ms", "0");
    if (tls != null) {
      server.setProperty("sasl.enabled.mechanisms", "SCRAM-SHA-512");
      server.setProperty("listener.name.sasl.scram-sha-512.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
      server.setProperty("ssl.keystore.type", "PKCS12");
      server.setProperty("ssl.keystore.location", tls.keystore("broker").toString());
      server.setProperty("ssl.keystore.password", TlsMaterial.PASSWORD);
      server.setProperty("ssl.key.password", TlsMaterial.PASSWORD);
      server.setProperty("ssl.truststore.type", "PKCS12");
      server.setProperty("ssl.truststore.location", tls.truststore().toString());
      server.setProperty("ssl.truststore.password", TlsMaterial.PASSWORD);
      server.setProperty("listener.name.mtls.ssl.client.auth", "required");
      // A client certificate's CN is its principal: CN=training-service -> User:training-service.
      server.setProperty("ssl.principal.mapping.rules", "RULE:^CN=([^,]+).*$/$1/,DEFAULT");
      server.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
      server.setProperty("allow.everyone.if.no.acl.found", "false");
      // The plain listener on loopback is the broker's own and the test's admin path.
      server.setProperty("super.users", "User:ANONYMOUS");
    }
    try (var out = Files.newBufferedWriter(dir.resolve("server.properties"))) {
      server.store(out, "edgeloop test broker");
    }
  }

  private void format() throws IOException, InterruptedException {
    if (Files.exists(dir.resolve("data").resolve("meta.properties"))) {
      return;
    }
    List<String> args = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(), "-c",
        dir.resolve("server.properties").toString()));
    scramUsers.forEach((user, password) -> {
      args.add("--add-scram");
      args.add("SCRAM-SHA-512=[name=" + user + ",password=" + password + "]");
    });
    Process format = java("kafka.tools.StorageTool", args.toArray(String[]::new)).redirectErrorStream(true).start();
    String output = new String(format.getInputStream().readAllBytes());
    if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
      throw new IOException("formatting the broker's storage failed: " + output);
    }
  }

  private static ProcessBuilder java(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
