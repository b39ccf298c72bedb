package io.edgeloop.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class StorageAutoConfigurationTest {
  @TempDir Path dir;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class));

  @Test
  void shouldDefaultToLocalBlobsUnderTheDataDir() {
    runner.withPropertyValues("edgeloop.data-dir=" + dir).run(context -> {
      ArtifactStore store = context.getBean(ArtifactStore.class);
      assertThat(store).isInstanceOf(LocalArtifactStore.class);
      assertThat(((LocalArtifactStore) store).root()).isEqualTo(dir.resolve("blobs").toRealPath());
    });
  }

  @Test
  void shouldOpenAzureFromItsProperties() {
    Azurite.assumeRunning();
    StorageSettings azurite = Azurite.settings("autoconfig");
    runner
        .withPropertyValues(
            "edgeloop.storage.uri=" + azurite.uri(),
            "edgeloop.storage.azure.connection-string=" + Azurite.CONNECTION_STRING)
        .run(context -> {
          ArtifactStore store = context.getBean(ArtifactStore.class);
          assertThat(store).isInstanceOf(AzureBlobArtifactStore.class);
          store.putBytes("x", new byte[] {42});
          assertThat(store.readBytes("x")).containsExactly(42);
        });
  }

  @Test
  void shouldFailStartupWithTheSupportedSchemesForAnUnknownOne() {
    runner.withPropertyValues("edgeloop.storage.uri=ftp://host/x").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("supported schemes"));
  }
}
