package io.edgeloop.storage;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.options.BlobUploadFromFileOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import reactor.core.Exceptions;

/**
 * Blobs in one Azure Blob container (Azure, Azure Stack Hub, Azurite), optionally under a key
 * prefix. Puts are block-blob uploads: staged blocks become visible only when the block list is
 * committed (or the single Put Blob completes), so readers never see a partly written blob.
 */
public final class AzureBlobArtifactStore implements ArtifactStore {
  /** Streams of unknown length: 8 MiB blocks, two in flight, so memory stays bounded for uploads of any size. */
  private static final ParallelTransferOptions TRANSFER =
      new ParallelTransferOptions()
          .setBlockSizeLong(8L * 1024 * 1024)
          .setMaxSingleUploadSizeLong(8L * 1024 * 1024)
          .setMaxConcurrency(2);
  /**
   * Files: 8 MiB blocks staged four at a time, read from the file by the SDK as each block goes
   * out (a round trip per block in flight instead of one after another), then one commit.
   */
  static final ParallelTransferOptions FILE_TRANSFER =
      new ParallelTransferOptions()
          .setBlockSizeLong(8L * 1024 * 1024)
          .setMaxSingleUploadSizeLong(8L * 1024 * 1024)
          .setMaxConcurrency(4);

  private final BlobContainerClient container;
  private final String prefix;

  public AzureBlobArtifactStore(BlobContainerClient container) {
    this(container, "");
  }

  /** {@code prefix} (may be empty) is prepended to every key, so several stores can share a container. */
  public AzureBlobArtifactStore(BlobContainerClient container, String prefix) {
    this.container = container;
    String p = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
    this.prefix = p.isEmpty() ? "" : p + "/";
  }

  public BlobContainerClient container() {
    return container;
  }

  /** Creates the container when it is missing; a credential without that right (e.g. a SAS) is fine if it exists. */
  public void createContainerIfMissing() throws IOException {
    try {
      container.createIfNotExists();
    } catch (BlobStorageException e) {
      if (e.getStatusCode() != 403) {
        throw new IOException("cannot create container " + container.getBlobContainerUrl() + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void put(String key, InputStream content, long length) throws IOException {
    upload(key, () -> blob(key).uploadWithResponse(new BlobParallelUploadOptions(content).setParallelTransferOptions(TRANSFER), null,
        Context.NONE));
  }

  /** Uploads in parallel staged blocks ({@link #FILE_TRANSFER}), committed at once at the end. */
  @Override
  public void putFile(String key, Path file) throws IOException {
    upload(key, () -> blob(key).uploadFromFileWithResponse(
        new BlobUploadFromFileOptions(file.toString()).setParallelTransferOptions(FILE_TRANSFER), null, Context.NONE));
  }

  private void upload(String key, Runnable upload) throws IOException {
    try {
      upload.run();
    } catch (BlobStorageException e) {
      throw new IOException("cannot put " + key + " into " + container.getBlobContainerUrl() + ": " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (RuntimeException e) {
      // The SDK wraps a failing source stream in reactor exceptions; callers expect an IOException.
      Throwable cause = Exceptions.unwrap(e);
      throw cause instanceof IOException io ? io : new IOException("cannot put " + key + ": " + cause.getMessage(), cause);
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    try {
      return blob(key).openInputStream();
    } catch (BlobStorageException e) {
      if (isNotFound(e)) {
        throw new NoSuchFileException(key);
      }
      throw new IOException("cannot open " + key + ": " + e.getMessage(), e);
    }
  }

  /** One streaming GET (the input stream of {@link #open} asks for 4 MiB ranges one after another, about 3x slower). */
  @Override
  public void copyTo(String key, OutputStream out) throws IOException {
    try {
      blob(key).downloadStream(out);
    } catch (BlobStorageException e) {
      if (isNotFound(e)) {
        throw new NoSuchFileException(key);
      }
      throw new IOException("cannot read " + key + ": " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public boolean exists(String key) throws IOException {
    try {
      return blob(key).exists();
    } catch (BlobStorageException e) {
      throw new IOException("cannot check " + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> list(String keyPrefix) throws IOException {
    List<String> keys = new ArrayList<>();
    try {
      for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix + keyPrefix), null)) {
        keys.add(item.getName().substring(prefix.length()));
      }
    } catch (BlobStorageException e) {
      if (isNotFound(e)) {
        return keys;
      }
      throw new IOException("cannot list " + keyPrefix + ": " + e.getMessage(), e);
    }
    keys.sort(null);
    return keys;
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      blob(key).deleteIfExists();
    } catch (BlobStorageException e) {
      throw new IOException("cannot delete " + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public URI uri(String key) {
    return URI.create(blob(key).getBlobUrl());
  }

  private BlobClient blob(String key) {
    return container.getBlobClient(prefix + ArtifactStore.requireValidKey(key));
  }

  private static boolean isNotFound(BlobStorageException e) {
    return e.getStatusCode() == 404
        || BlobErrorCode.BLOB_NOT_FOUND.equals(e.getErrorCode())
        || BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode());
  }
}
