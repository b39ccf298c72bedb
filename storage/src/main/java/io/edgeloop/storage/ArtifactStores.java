package io.edgeloop.storage;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClientBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Chooses the store backend, in one place, from the URI scheme of {@link StorageSettings#uri()}. */
public final class ArtifactStores {
  public static final List<String> SCHEMES = List.of("file", "https", "http");

  /** Opens the store {@code settings} describe; throws {@link IllegalArgumentException} for an unknown scheme or missing credentials. */
  public static ArtifactStore open(StorageSettings settings) throws IOException {
    URI uri = settings.uri();
    if (uri == null || uri.getScheme() == null) {
      throw new IllegalArgumentException("edgeloop.storage.uri '" + uri + "' has no scheme; supported schemes: " + describeSchemes());
    }
    switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
      case "file":
        return new LocalArtifactStore(localPath(uri));
      case "https":
      case "http":
        return openAzure(uri, settings.azure());
      default:
        throw new IllegalArgumentException(
            "unsupported edgeloop.storage.uri scheme '" + uri.getScheme() + "' in " + uri + "; supported schemes: " + describeSchemes());
    }
  }

  private static String describeSchemes() {
    return "file:/path (local filesystem), https://<account>.blob.core.windows.net/<container> (Azure Blob, also Azure Stack Hub),"
        + " http(s)://<host>:<port>/<account>/<container> (path-style, e.g. Azurite)";
  }

  private static Path localPath(URI uri) {
    // file:relative/dir is opaque (no leading slash): keep it relative to the working directory.
    return uri.isOpaque() ? Path.of(uri.getSchemeSpecificPart()) : Path.of(uri);
  }

  private static ArtifactStore openAzure(URI uri, StorageSettings.Azure azure) throws IOException {
    ContainerAddress address = ContainerAddress.parse(uri);
    AzureBlobArtifactStore store = new AzureBlobArtifactStore(containerClientBuilder(uri, azure).buildClient(), address.prefix());
    store.createContainerIfMissing();
    return store;
  }

  /**
   * A client builder for the container of a blob storage URI (its key prefix, if any, is not part of
   * it), with the JDK HttpClient transport and the configured credential: for callers that need the
   * async client or another SDK's view of the same container (e.g. an Event Hubs checkpoint store).
   */
  public static BlobContainerClientBuilder containerClientBuilder(URI uri, StorageSettings.Azure azure) {
    ContainerAddress address = ContainerAddress.parse(uri);
    HttpClient http = new JdkHttpClientBuilder().build();
    BlobContainerClientBuilder builder = new BlobContainerClientBuilder().httpClient(http);
    if (azure != null && notBlank(azure.connectionString())) {
      builder.connectionString(azure.connectionString()).endpoint(address.containerUrl());
    } else if (azure != null && notBlank(azure.sasToken())) {
      builder.endpoint(address.containerUrl()).sasToken(azure.sasToken());
    } else if (azure != null && azure.useDefaultCredential()) {
      builder.endpoint(address.containerUrl()).credential(new DefaultAzureCredentialBuilder().httpClient(http).build());
    } else {
      throw new IllegalArgumentException(
          uri + " is a blob container but no credential is set: set one of"
              + " edgeloop.storage.azure.connection-string, edgeloop.storage.azure.sas-token,"
              + " edgeloop.storage.azure.use-default-credential=true (or the same keys of the source)");
    }
    return builder;
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  /**
   * A container URL split into the container URL proper and a key prefix. Path-style hosts (an IP
   * address or localhost, as Azurite uses) carry the account as the first path segment.
   */
  record ContainerAddress(String containerUrl, String prefix) {
    static ContainerAddress parse(URI uri) {
      String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
      List<String> segments = path.isEmpty() ? List.of() : List.of(path.split("/+"));
      int containerIndex = isPathStyle(uri.getHost()) ? 1 : 0;
      if (segments.size() <= containerIndex) {
        throw new IllegalArgumentException(
            "blob storage URI " + uri + " names no container; expected " + describeSchemes());
      }
      String origin = uri.getScheme() + "://" + uri.getRawAuthority();
      String containerUrl = origin + "/" + String.join("/", segments.subList(0, containerIndex + 1));
      String prefix = String.join("/", segments.subList(containerIndex + 1, segments.size()));
      return new ContainerAddress(containerUrl, prefix);
    }

    private static boolean isPathStyle(String host) {
      if (host == null || host.equalsIgnoreCase("localhost")) {
        return true;
      }
      if (host.startsWith("[") || host.matches("[0-9.]+")) {
        try {
          InetAddress.getByName(host);
          return true;
        } catch (java.net.UnknownHostException e) {
          return false;
        }
      }
      return false;
    }
  }

  private ArtifactStores() {}
}
