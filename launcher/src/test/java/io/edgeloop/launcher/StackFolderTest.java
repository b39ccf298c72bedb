package io.edgeloop.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.launcher.cli.KafkaBroker;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackFolderTest {
  @TempDir Path dir;

  @Test
  void shouldKeepTheServicesKafkaClientSettingsForTheCliOwnerOnlyWhileTheStackRuns() throws Exception {
    Path file = dir.resolve(KafkaBroker.SETTINGS_FILE);
    Map<String, String> settings = Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p=1\";");
    try (StackFolder folder = StackFolder.open(dir)) {
      folder.publishKafkaClientSettings(settings);

      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      Properties written = new Properties();
      try (Reader reader = Files.newBufferedReader(file)) {
        written.load(reader);
      }
      assertThat(written).isEqualTo(settings);

      folder.publishKafkaClientSettings(Map.of());
      assertThat(file).as("a plain broker: no settings file (not an earlier stack's)").doesNotExist();
      folder.publishKafkaClientSettings(settings);
    }
    assertThat(file).as("removed when the stack stops").doesNotExist();
  }
}
