package io.edgeloop.launcher;

import io.edgeloop.contracts.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Features;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One-command mode's Kafka: Apache Kafka's own KRaft server (broker and controller in one node),
 * in this process, with its log in the data folder and on a fixed port, so a restart resumes where
 * the last run stopped: retained events, consumer group offsets, topics. The folder is formatted
 * once (its cluster id is kept in {@code meta.properties}); the edgeloop topics are created up front
 * with four partitions, so the services' consumers find them at once.
 */
final class EmbeddedBroker implements AutoCloseable {
  private static final String CONTROLLER = "CONTROLLER";
  private static final int NODE_ID = 1;
  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private EmbeddedBroker(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /** The port to start on: {@code requested} when it is free (an error says so when not), any free port for 0. */
  static int choosePort(int requested) throws IOException {
    return choosePort(requested, new LoopbackPorts(Set.of()));
  }

  /** {@code requested}, or when 0 a free port that {@code ports} has not handed out. */
  static int choosePort(int requested, LoopbackPorts ports) throws IOException {
    if (requested == 0) {
      return ports.free();
    }
    ports.take(requested);
    return requireFree(requested);
  }

  static String bootstrapServers(int port) {
    return "127.0.0.1:" + port;
  }

  /** Starts the broker on 127.0.0.1:{@code port} with its log in {@code logDir}. */
  static EmbeddedBroker start(Path logDir, int port) throws IOException {
    return start(logDir, port, new LoopbackPorts(Set.of(port)));
  }

  /** As {@link #start(Path, int)}, its controller on a port that {@code ports} has not handed out. */
  static EmbeddedBroker start(Path logDir, int port, LoopbackPorts ports) throws IOException {
    int brokerPort = port;
    int controllerPort = ports.free();
    Path dir = Files.createDirectories(logDir).toAbsolutePath();
    Properties props = new Properties();
    props.putAll(Map.ofEntries(
        Map.entry("process.roles", "broker,controller"),
        Map.entry("node.id", String.valueOf(NODE_ID)),
        // A static voter set is read from configuration on every start, so the controller's port may change.
        Map.entry("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort),
        Map.entry("controller.listener.names", CONTROLLER),
        Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER + "://127.0.0.1:" + controllerPort),
        Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
        Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT"),
        Map.entry("inter.broker.listener.name", "PLAINTEXT"),
        Map.entry("log.dirs", dir.toString()),
        Map.entry("num.partitions", "4"),
        Map.entry("auto.create.topics.enable", "true"),
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("offsets.topic.num.partitions", "4"),
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("min.insync.replicas", "1"),
        // One node: no reason to wait for more consumers before the first rebalance.
        Map.entry("group.initial.rebalance.delay.ms", "0")));
    KafkaConfig config = KafkaConfig.fromProps(props, false);
    if (!Files.exists(dir.resolve("meta.properties"))) {
      format(dir);
    }
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    EmbeddedBroker broker = new EmbeddedBroker(server, bootstrapServers(brokerPort));
    try {
      broker.createTopics(Topics.all());
    } catch (IOException | RuntimeException e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  private static void format(Path dir) throws IOException {
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setClusterId(Uuid.randomUuid().toString())
          .setNodeId(NODE_ID)
          .addDirectory(dir.toString())
          .setMetadataLogDirectory(dir.toString())
          .setControllerListenerName(CONTROLLER)
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setSupportedFeatures(Features.PRODUCTION_FEATURES)
          .run();
    } catch (Exception e) {
      throw new IOException("could not format the Kafka log folder " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Creates the topics that do not exist yet; waits until the broker answers. */
  private void createTopics(List<String> topics) throws IOException {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t)).map(t -> new NewTopic(t, 4, (short) 1)).toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("the embedded Kafka broker did not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting Kafka", e);
    }
  }

  private static int requireFree(int port) throws IOException {
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return port;
    } catch (IOException taken) {
      throw new IOException("port " + port + " is taken (another edgeloop up, or a Kafka broker?): choose another with --kafka-port, or use that broker with --kafka 127.0.0.1:" + port);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }
}
