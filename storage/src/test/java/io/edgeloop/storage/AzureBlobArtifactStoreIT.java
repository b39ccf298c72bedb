package io.edgeloop.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.models.BlockListType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Azure Blob store against Azurite: the same contract as the local store. */
class AzureBlobArtifactStoreIT {
  @TempDir Path dir;
  AzureBlobArtifactStore store;

  @BeforeEach
  void open() throws Exception {
    Azurite.assumeRunning();
    store = (AzureBlobArtifactStore) ArtifactStores.open(Azurite.settings("store"));
  }

  @Test
  void shouldStoreListReadAndDelete() throws Exception {
    store.putBytes("a/b/one.txt", "1".getBytes(StandardCharsets.UTF_8));
    store.putBytes("a/two.txt", "2".getBytes(StandardCharsets.UTF_8));
    store.putBytes("c.txt", "3".getBytes(StandardCharsets.UTF_8));

    assertThat(store.list("a/")).containsExactly("a/b/one.txt", "a/two.txt");
    assertThat(new String(store.readBytes("a/b/one.txt"), StandardCharsets.UTF_8)).isEqualTo("1");
    assertThat(store.exists("c.txt")).isTrue();
    assertThat(store.uri("c.txt").toString()).startsWith(Azurite.ENDPOINT + "/").endsWith("/c.txt");

    store.delete("c.txt");
    store.delete("c.txt");
    assertThat(store.exists("c.txt")).isFalse();
    assertThatThrownBy(() -> store.open("c.txt")).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void shouldReplaceOnPutAndStreamLargeBlobsOfUnknownLengthInBlocks() throws Exception {
    store.putBytes("big.bin", "old".getBytes(StandardCharsets.UTF_8));
    byte[] big = new byte[20 * 1024 * 1024 + 17];
    new Random(7).nextBytes(big);

    store.put("big.bin", new ByteArrayInputStream(big), -1);

    assertThat(store.readBytes("big.bin")).isEqualTo(big);
  }

  @Test
  void shouldUploadFilesInParallelBlocksAndStreamThemBackInOneRequest() throws Exception {
    byte[] big = new byte[40 * 1024 * 1024 + 5]; // five full blocks and a bit, four in flight
    new Random(8).nextBytes(big);
    Path file = Files.write(dir.resolve("big.parquet"), big);
    store.putBytes("file.bin", "old".getBytes(StandardCharsets.UTF_8));

    store.putFile("file.bin", file);

    ByteArrayOutputStream copied = new ByteArrayOutputStream();
    store.copyTo("file.bin", copied);
    assertThat(copied.toByteArray()).isEqualTo(big);
    assertThat(store.container().getBlobClient("file.bin").getBlockBlobClient().listBlocks(BlockListType.COMMITTED).getCommittedBlocks())
        .hasSize(6);
    assertThatThrownBy(() -> store.copyTo("missing.bin", new ByteArrayOutputStream())).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void shouldLeaveThePreviousBlobWhenAnUploadFailsHalfway() throws Exception {
    store.putBytes("atomic.bin", "previous".getBytes(StandardCharsets.UTF_8));
    InputStream failing = new InputStream() {
      int sent;

      @Override
      public int read() throws IOException {
        if (sent++ > 12 * 1024 * 1024) {
          throw new IOException("source broke");
        }
        return 'x';
      }
    };

    assertThatThrownBy(() -> store.put("atomic.bin", failing, -1)).isInstanceOf(IOException.class);

    assertThat(new String(store.readBytes("atomic.bin"), StandardCharsets.UTF_8)).isEqualTo("previous");
  }

  @Test
  void shouldCopyTreesBothWays() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/sub"));
    Files.writeString(src.resolve("x.txt"), "x");
    store.uploadAll(dir.resolve("src"), "runs/r1/outputs");
    store.downloadAll("runs/r1/outputs", dir.resolve("back"));
    assertThat(Files.readString(dir.resolve("back/sub/x.txt"))).isEqualTo("x");
  }

  /** The SDK's blob URLs escape each {@code /} of a key: a consumer that cut the store's URI off the text read {@code a%2Fb}. */
  @Test
  void shouldFindTheKeyOfItsOwnBlobUrls() throws Exception {
    store.putBytes("datasets/t/v1/data.parquet", new byte[] {7});
    String uri = store.uri("datasets/t/v1/data.parquet").toString();

    assertThat(store.keyOf(uri)).contains("datasets/t/v1/data.parquet");
    assertThat(store.readBytes(store.keyOf(uri).orElseThrow())).containsExactly(7);
    assertThat(store.keyOf(Azurite.ENDPOINT + "/another-container/datasets/t/v1/data.parquet")).isEmpty();
    assertThat(store.keyOf("file:/tmp/datasets/t/v1/data.parquet")).isEmpty();

    StorageSettings base = Azurite.settings("store");
    ArtifactStore prefixed = ArtifactStores.open(base.withAzure(base.azure()).withUri(base.uri() + "/tenant-a"));
    assertThat(prefixed.keyOf(prefixed.uri("models/m/v1/model").toString())).contains("models/m/v1/model");
    assertThat(prefixed.keyOf(uri)).as("outside the prefix").isEmpty();
  }

  @Test
  void shouldKeepKeysUnderTheUriPrefix() throws Exception {
    StorageSettings base = Azurite.settings("prefixed");
    ArtifactStore prefixed = ArtifactStores.open(base.withAzure(base.azure()).withUri(base.uri() + "/tenant-a"));
    prefixed.putBytes("k.txt", new byte[] {1});

    ArtifactStore whole = ArtifactStores.open(base);
    assertThat(whole.list("")).containsExactly("tenant-a/k.txt");
    assertThat(prefixed.list("")).containsExactly("k.txt");
  }
}
