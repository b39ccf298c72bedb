package io.edgeloop.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class StackTest {
  @Test
  void shouldGiveTheCliTheSecuritySettingsOfTheServicesBinderWithPlaceholdersResolved() {
    StandardEnvironment environment = new StandardEnvironment();
    String prefix = "spring.cloud.stream.kafka.binder.configuration";
    environment.getPropertySources().addFirst(new MapPropertySource("-D", Map.of(
        prefix + ".security.protocol", "SASL_SSL",
        prefix + "[sasl.mechanism]", "SCRAM-SHA-512",
        prefix + "[sasl.jaas.config]", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"${KAFKA_PASSWORD}\";",
        prefix + "[ssl.truststore.location]", "/etc/edgeloop/kafka-truststore.p12",
        prefix + "[max.poll.records]", "50",
        "KAFKA_PASSWORD", "p@ss")));

    assertThat(Stack.kafkaClientSettings(environment)).isEqualTo(Map.of(
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", "SCRAM-SHA-512",
        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p@ss\";",
        "ssl.truststore.location", "/etc/edgeloop/kafka-truststore.p12"));
    assertThat(Stack.kafkaClientSettings(new StandardEnvironment())).as("a plain broker").isEmpty();
  }

  @Test
  void shouldShareCachesMachineWideInTheXdgCacheFolder(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    assertThat(Stack.machineCache(Map.of("XDG_CACHE_HOME", dir.toString()))).contains(dir.resolve("edgeloop"));
    assertThat(dir.resolve("edgeloop")).isDirectory();
  }

  @Test
  void shouldFallBackToTheHomeCacheFolderAndToNoneWhereItCannotBeWritten(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    assertThat(Stack.machineCache(Map.of())).contains(java.nio.file.Path.of(System.getProperty("user.home"), ".cache", "edgeloop"));
    java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("not-a-folder"), "");
    assertThat(Stack.machineCache(Map.of("XDG_CACHE_HOME", file.toString()))).as("packaging keeps its caches in the data folder").isEmpty();
  }
}
