package io.edgeloop.launcher.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --kafka}: the broker of a command that reads or writes topics itself ({@code events},
 * {@code dlq}). Found as the REST commands find the services: the flag or
 * {@code EDGELOOP_KAFKA_BOOTSTRAP_SERVERS}, else the running stack's {@code stack.json}, else
 * one-command mode's default port; and checked once, so that a broker that is not there is one
 * line, not a client retrying (and logging) every second.
 */
public final class KafkaBroker {
  static final String DEFAULT = "127.0.0.1:9092";
  private static final int ANSWER_SECONDS = 10;

  @Mixin DataDir dataDir;

  @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "${env:EDGELOOP_KAFKA_BOOTSTRAP_SERVERS}",
      description = "Kafka bootstrap servers (env EDGELOOP_KAFKA_BOOTSTRAP_SERVERS; default: the running stack's, from stack.json, else " + DEFAULT + ")")
  String kafka;

  /** The bootstrap servers, once a broker there has answered; a {@link CliException} saying what to do when none does. */
  public String connect() {
    quietClients();
    Optional<StackInfo> stack = StackInfo.read(dataDir.path().toAbsolutePath());
    String bootstrap = kafka != null && !kafka.isBlank() ? kafka : stack.map(StackInfo::kafka).orElse(DEFAULT);
    Map<String, Object> config = Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(ANSWER_SECONDS * 1000),
        CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(ANSWER_SECONDS * 1000));
    try (Admin admin = Admin.create(config)) {
      admin.describeCluster().clusterId().get(ANSWER_SECONDS, TimeUnit.SECONDS);
      return bootstrap;
    } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
      throw new CliException("no Kafka broker answers at " + bootstrap + ": " + hint(stack));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while connecting to Kafka at " + bootstrap);
    }
  }

  private String hint(Optional<StackInfo> stack) {
    if (kafka != null && !kafka.isBlank()) {
      return "is it running, and is that its address?";
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
   * The Kafka clients log every failed connection attempt (a WARN a second while a broker is away):
   * a CLI command reports the failure itself, once.
   */
  static void quietClients() {
    org.slf4j.Logger kafka = org.slf4j.LoggerFactory.getLogger("org.apache.kafka");
    if (kafka instanceof ch.qos.logback.classic.Logger logger) {
      logger.setLevel(ch.qos.logback.classic.Level.ERROR);
    }
  }
}
