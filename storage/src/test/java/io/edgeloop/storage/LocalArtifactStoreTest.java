package io.edgeloop.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalArtifactStoreTest {
  @TempDir Path dir;

  @Test
  void shouldStoreListReadAndDelete() throws Exception {
    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("store"));
    store.putBytes("a/b/one.txt", "1".getBytes(StandardCharsets.UTF_8));
    store.putBytes("a/two.txt", "2".getBytes(StandardCharsets.UTF_8));
    store.putBytes("c.txt", "3".getBytes(StandardCharsets.UTF_8));

    assertThat(store.list("a/")).containsExactly("a/b/one.txt", "a/two.txt");
    assertThat(new String(store.readBytes("a/b/one.txt"), StandardCharsets.UTF_8)).isEqualTo("1");
    assertThat(store.exists("c.txt")).isTrue();
    assertThat(store.uri("c.txt").getScheme()).isEqualTo("file");

    store.delete("c.txt");
    assertThat(store.exists("c.txt")).isFalse();
    assertThatThrownBy(() -> store.open("c.txt")).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void shouldFindTheKeyOfItsOwnUrisOnly() throws Exception {
    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("a store")); // a file: URI escapes the space
    store.putBytes("models/m/v1/model/model.onnx", new byte[] {1});

    assertThat(store.keyOf(store.uri("datasets/t/v1/data.parquet").toString())).contains("datasets/t/v1/data.parquet");
    assertThat(store.keyOf(store.uri("models/m/v1/model").toString())).as("a folder's URI ends with /")
        .hasValueSatisfying(key -> assertThat(key).startsWith("models/m/v1/model"));
    assertThat(store.keyOf(dir.resolve("elsewhere/x.txt").toUri().toString())).isEmpty();
    assertThat(store.keyOf("https://account.blob.core.windows.net/c/x.txt")).isEmpty();
    assertThat(store.keyOf("not a uri")).isEmpty();
  }

  @Test
  void shouldRefuseKeysThatEscapeTheRoot() throws Exception {
    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("store"));
    assertThatThrownBy(() -> store.putBytes("../evil", new byte[1])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.putBytes("/abs", new byte[1])).isInstanceOf(IllegalArgumentException.class);
    assertThat(Files.exists(dir.resolve("evil"))).isFalse();
  }

  @Test
  void shouldCopyTreesBothWays() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/sub"));
    Files.writeString(src.resolve("x.txt"), "x");
    Files.writeString(dir.resolve("src/y.txt"), "y");
    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("store"));

    store.uploadAll(dir.resolve("src"), "runs/r1/outputs");
    store.downloadAll("runs/r1/outputs", dir.resolve("back"));

    assertThat(store.list("runs/r1/")).containsExactly("runs/r1/outputs/sub/x.txt", "runs/r1/outputs/y.txt");
    assertThat(Files.readString(dir.resolve("back/sub/x.txt"))).isEqualTo("x");
    assertThat(Files.readString(dir.resolve("back/y.txt"))).isEqualTo("y");
  }
}
