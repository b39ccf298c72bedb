package io.edgeloop.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by the commands that start the stack. */
final class StackOptions {
  @Option(
      names = "--kafka",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:EDGELOOP_KAFKA_BOOTSTRAP_SERVERS}",
      description = "Use this Kafka cluster instead of the embedded broker (env EDGELOOP_KAFKA_BOOTSTRAP_SERVERS).")
  String kafka;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "Port of the embedded broker (default ${DEFAULT-VALUE}; 0 = any).")
  int kafkaPort;

  @Option(names = "--data-dir", defaultValue = "${env:EDGELOOP_DATA_DIR:-.edgeloop}", description = "Blobs, databases, shares and logs (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--port-base", defaultValue = "8080", description = "Services listen on base+1..base+4 (default ${DEFAULT-VALUE}).")
  int portBase;

  @Option(names = "--console-log-level", defaultValue = "INFO", description = "Least severe log level on the console (default ${DEFAULT-VALUE}); everything goes to <data-dir>/logs.")
  String consoleLogLevel;

  @Option(names = {"-D", "--property"}, paramLabel = "KEY=VALUE", description = "Any service configuration key, e.g. -D edgeloop.storage.uri=https://...")
  Map<String, String> properties = new LinkedHashMap<>();

  StackSettings settings() {
    return new StackSettings(kafka, kafkaPort, dataDir, portBase, consoleLogLevel, properties);
  }
}
