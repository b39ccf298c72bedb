package io.edgeloop.launcher.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * A broker the CLI has reached, and how: its bootstrap servers and the client properties a secured
 * broker needs ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}: the standard Kafka client
 * keys, as the services' binder takes them), read from {@code settingsFile} when there is one.
 *
 * @param bootstrapServers where the broker is
 * @param settings client properties from the settings file (empty for a plain connection)
 * @param settingsFile where they were read, or null
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> settings, Path settingsFile) {
  public KafkaConnection {
    settings = Map.copyOf(settings);
  }

  /**
   * A client's configuration: the settings, then the command's own keys (a group, offsets, timeouts:
   * what the command needs to work as documented), then the bootstrap servers.
   */
  public Map<String, Object> clientConfig(Map<String, ?> own) {
    Map<String, Object> config = new HashMap<>(settings);
    config.putAll(own);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  /** " (settings from FILE)" for messages, or "" for a plain connection. */
  String from() {
    return settingsFile == null ? "" : " (client settings from " + settingsFile + ")";
  }
}
