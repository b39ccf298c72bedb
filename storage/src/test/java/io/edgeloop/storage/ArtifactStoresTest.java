package io.edgeloop.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoresTest {
  @TempDir Path dir;

  @Test
  void shouldOpenTheLocalStoreForFileUris() throws Exception {
    ArtifactStore store = ArtifactStores.open(StorageSettings.of(dir.resolve("blobs").toUri().toString()));
    assertThat(store).isInstanceOf(LocalArtifactStore.class);
    assertThat(((LocalArtifactStore) store).root()).isEqualTo(dir.resolve("blobs").toRealPath());
  }

  @Test
  void shouldNameTheSupportedSchemesForAnUnknownOne() {
    assertThatThrownBy(() -> ArtifactStores.open(StorageSettings.of("s3://bucket/x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'s3'")
        .hasMessageContaining("file:/path")
        .hasMessageContaining("blob.core.windows.net");
  }

  @Test
  void shouldRefuseABlobUriWithoutCredentials() {
    assertThatThrownBy(() -> ArtifactStores.open(StorageSettings.of("https://acct.blob.core.windows.net/data")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("edgeloop.storage.azure.connection-string");
  }

  @Test
  void shouldSplitContainerUrlsOfEachStyle() {
    assertThat(ArtifactStores.ContainerAddress.parse(URI.create("https://acct.blob.core.windows.net/data/edge/site1")))
        .isEqualTo(new ArtifactStores.ContainerAddress("https://acct.blob.core.windows.net/data", "edge/site1"));
    assertThat(ArtifactStores.ContainerAddress.parse(URI.create("https://acct.blob.local.azurestack.external/data")))
        .isEqualTo(new ArtifactStores.ContainerAddress("https://acct.blob.local.azurestack.external/data", ""));
    assertThat(ArtifactStores.ContainerAddress.parse(URI.create("http://127.0.0.1:10000/devstoreaccount1/data/p")))
        .isEqualTo(new ArtifactStores.ContainerAddress("http://127.0.0.1:10000/devstoreaccount1/data", "p"));
    assertThatThrownBy(() -> ArtifactStores.ContainerAddress.parse(URI.create("http://127.0.0.1:10000/devstoreaccount1")))
        .hasMessageContaining("names no container");
  }
}
