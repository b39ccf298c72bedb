package io.edgeloop.storage;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where blobs live ({@code edgeloop.storage.*}); one store shared by every service of a process.
 *
 * @param uri {@code file:/path} for the local filesystem, or a blob container URL: {@code
 *     https://<account>.blob.core.windows.net/<container>[/<prefix>]}, Azure Stack Hub's {@code
 *     https://<account>.blob.<region>.<domain>/<container>}, or path-style (Azurite) {@code
 *     http://127.0.0.1:10000/<account>/<container>}. Empty: {@code file:${edgeloop.data-dir:.edgeloop}/blobs}.
 * @param azure credentials for a blob container URL; ignored for {@code file:}
 */
@ConfigurationProperties("edgeloop.storage")
public record StorageSettings(URI uri, @DefaultValue Azure azure) {

  public StorageSettings {
    azure = azure == null ? new Azure(null, null, false) : azure;
  }

  public static StorageSettings of(String uri) {
    return new StorageSettings(URI.create(uri), null);
  }

  public StorageSettings withAzure(Azure azure) {
    return new StorageSettings(uri, azure);
  }

  public StorageSettings withUri(String uri) {
    return new StorageSettings(URI.create(uri), azure);
  }

  /**
   * Azure credentials; exactly one is used, in this order.
   *
   * @param connectionString a storage account connection string (also Azurite's well-known one)
   * @param sasToken a shared access signature for the container (with or without the leading {@code ?})
   * @param useDefaultCredential use {@code DefaultAzureCredential} (managed identity, workload
   *     identity, environment, Azure CLI ...)
   */
  public record Azure(String connectionString, String sasToken, boolean useDefaultCredential) {}
}
