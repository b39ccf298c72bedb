package io.edgeloop.launcher.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --kafka}: the broker of a command that reads or writes topics itself ({@code events},
 * {@code dlq}). Found as the REST commands find the services: the flag or
 * {@code EDGELOOP_KAFKA_BOOTSTRAP_SERVERS}, else the client settings' {@code bootstrap.servers}, else
 * the running stack's {@code stack.json}, else one-command mode's default port; and checked once, so
 * that a broker that is not there, or that refuses the credentials, is one line, not a client
 * retrying (and logging) every second. A secured broker's client settings ({@code --kafka-config},
 * {@code EDGELOOP_KAFKA_CONFIG}, else the file a stack on such a broker writes) go to every client
 * the command makes.
 */
public final class KafkaBroker {
  static final String DEFAULT = "127.0.0.1:9092";
  /** The client settings a stack on a secured external broker writes into its data folder (mode 0600; removed when it stops). */
  public static final String SETTINGS_FILE = "kafka-client.properties";
  private static final int ANSWER_SECONDS = 10;

  @Mixin DataDir dataDir;

  @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "${env:EDGELOOP_KAFKA_BOOTSTRAP_SERVERS}",
      description = "Kafka bootstrap servers (env EDGELOOP_KAFKA_BOOTSTRAP_SERVERS; default: the running stack's, from stack.json, else " + DEFAULT + ")")
  String kafka;

  @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:EDGELOOP_KAFKA_CONFIG}",
      description = "Kafka client properties for a secured broker (security.protocol, sasl.*, ssl.*; bootstrap.servers too), the standard "
          + "client keys the services' binder takes (env EDGELOOP_KAFKA_CONFIG; default: <data-dir>/" + SETTINGS_FILE + " when the stack wrote one)")
  Path kafkaConfig;

  /** The broker, once it has answered; a {@link CliException} saying what to do when none does or it refuses the credentials. */
  public KafkaConnection connect() {
    quietClients();
    Optional<StackInfo> stack = StackInfo.read(dataDir.path().toAbsolutePath());
    Path file = kafkaConfig != null ? kafkaConfig : Optional.of(dataDir.path().resolve(SETTINGS_FILE)).filter(Files::isRegularFile).orElse(null);
    Map<String, String> settings = file == null ? Map.of() : settings(file);
    String bootstrap = kafka != null && !kafka.isBlank() ? kafka
        : Optional.ofNullable(settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)).orElseGet(() -> stack.map(StackInfo::kafka).orElse(DEFAULT));
    KafkaConnection connection = new KafkaConnection(bootstrap, settings, file);
    Map<String, Object> config = connection.clientConfig(Map.of(
        CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(ANSWER_SECONDS * 1000),
        CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(ANSWER_SECONDS * 1000)));
    Admin admin;
    try {
      admin = Admin.create(config);
    } catch (KafkaException e) {
      throw new CliException("the Kafka client settings" + connection.from() + " are not usable: " + rootMessage(e));
    }
    try (admin) {
      admin.describeCluster().clusterId().get(ANSWER_SECONDS, TimeUnit.SECONDS);
      return connection;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthenticationException refused) {
        throw new CliException("Kafka at " + bootstrap + " refused the credentials" + connection.from() + ": " + firstLine(refused.getMessage()));
      }
      throw new CliException("no Kafka broker answers at " + bootstrap + ": " + hint(stack, connection));
    } catch (TimeoutException | KafkaException e) {
      throw new CliException("no Kafka broker answers at " + bootstrap + ": " + hint(stack, connection));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while connecting to Kafka at " + bootstrap);
    }
  }

  /** The client properties in {@code file} (a Java properties file, as Kafka's own tools take with --command-config). */
  static Map<String, String> settings(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new CliException("no Kafka client settings file " + file);
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException("cannot read the Kafka client settings in " + file + ": " + e.getMessage());
    }
    Map<String, String> settings = new TreeMap<>();
    properties.stringPropertyNames().forEach(key -> settings.put(key.strip(), properties.getProperty(key).strip()));
    return settings;
  }

  /**
   * A refusal or a failure to start a client, in one line: the innermost message (the JAAS or SSL
   * library's own words), never a stack trace.
   */
  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return firstLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
  }

  static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("").strip();
  }

  /**
   * A client that may not do what the command needs ({@code events tail} reading a topic, {@code dlq
   * replay} writing one), in one line naming what the broker refused.
   */
  static CliException refused(KafkaConnection connection, AuthorizationException e) {
    return new CliException("Kafka at " + connection.bootstrapServers() + " refused access" + connection.from() + ": " + firstLine(e.getMessage())
        + " (the principal needs the ACLs the README lists for edgeloop's CLI)");
  }

  private String hint(Optional<StackInfo> stack, KafkaConnection connection) {
    if (kafka != null && !kafka.isBlank() || connection.settingsFile() != null) {
      return "is it running, and is that its address?" + (connection.settings().isEmpty()
          ? " (a broker that needs SASL or TLS needs its client settings: --kafka-config FILE)"
          : " Do the client settings in " + connection.settingsFile() + " match its listener?");
    }
    Path file = dataDir.path().resolve(StackInfo.FILE);
    if (stack.isPresent() && !stack.get().running()) {
      return "the stack that wrote " + file + " (pid " + stack.get().pid() + ") is not running any more: start it with ./edgeloop up";
    }
    if (stack.isEmpty()) {
      return "no stack is running here (no " + file + "): start one with ./edgeloop up, or give --kafka HOST:PORT";
    }
    return "is edgeloop running (./edgeloop up)? Or give --kafka HOST:PORT";
  }

  /**
   * The Kafka clients log every failed connection attempt (a WARN a second while a broker is away,
   * an ERROR per refused authentication): a CLI command reports the failure itself, once.
   */
  static void quietClients() {
    level("org.apache.kafka", ch.qos.logback.classic.Level.ERROR);
    // It logs a refused authentication as an ERROR on every attempt: the command says it once, in its own line.
    level("org.apache.kafka.clients.NetworkClient", ch.qos.logback.classic.Level.OFF);
  }

  private static void level(String name, ch.qos.logback.classic.Level level) {
    if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
      logger.setLevel(level);
    }
  }
}
