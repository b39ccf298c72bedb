package io.edgeloop.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options of {@code edgeloop up}. */
final class StackOptions {
  @Option(
      names = "--kafka",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:EDGELOOP_KAFKA_BOOTSTRAP_SERVERS}",
      description = "Use this Kafka cluster instead of the embedded broker (env EDGELOOP_KAFKA_BOOTSTRAP_SERVERS).")
  String kafka;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "Port of the embedded broker (default ${DEFAULT-VALUE}; 0 = any free port).")
  int kafkaPort;

  @Option(names = "--data-dir", defaultValue = "${env:EDGELOOP_DATA_DIR:-.edgeloop}", description = "Blobs, database, broker log, shares and logs (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--port-base", defaultValue = "8080", description = "Services listen on base+1..base+4 (default ${DEFAULT-VALUE}).")
  int portBase;

  @Option(names = "--edge-port", defaultValue = "9000", description = "Port the local Docker edge target serves models on (default ${DEFAULT-VALUE}).")
  int edgePort;

  @Option(names = "--console-log-level", defaultValue = "WARN", description = "Least severe log level on the console (default ${DEFAULT-VALUE}: errors and edgeloop's warnings); everything goes to <data-dir>/logs/edgeloop.log.")
  String consoleLogLevel;

  @Option(names = {"-D", "--property"}, paramLabel = "KEY=VALUE", description = "Any service configuration key, e.g. -D edgeloop.storage.uri=https://...")
  Map<String, String> properties = new LinkedHashMap<>();

  /** The stack's settings: the edge environment's service settings first, then what was given with -D. */
  StackSettings settings(Map<String, String> edgeProperties) {
    Map<String, String> all = new LinkedHashMap<>(edgeProperties);
    all.putAll(properties);
    return new StackSettings(kafka, kafkaPort, dataDir, portBase, consoleLogLevel, all);
  }
}
