package io.edgeloop.storage;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Locale;
import java.util.UUID;

/**
 * The Azurite blob emulator at 127.0.0.1:10000 (started outside the tests, see environment.md),
 * with its well-known development account. Tests call {@link #assumeRunning()} first, so they skip
 * with a reason where it is not running. Reused by the services' tests via this module's test-jar.
 */
public final class Azurite {
  public static final String ACCOUNT = "devstoreaccount1";
  public static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  public static final String ENDPOINT = "http://127.0.0.1:10000/" + ACCOUNT;
  public static final String CONNECTION_STRING =
      "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY + ";BlobEndpoint=" + ENDPOINT + ";";

  public static boolean isRunning() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 10000), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public static void assumeRunning() {
    assumeTrue(isRunning(), "Azurite is not listening on 127.0.0.1:10000 (start it: see environment.md, 'Azurite')");
  }

  /** A fresh container name (3-63 lowercase characters). */
  public static String newContainerName(String hint) {
    String base = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return (base.isEmpty() ? "t" : base.substring(0, Math.min(base.length(), 20))) + "-"
        + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** Settings for a fresh container on Azurite. */
  public static StorageSettings settings(String containerHint) {
    return new StorageSettings(
        URI.create(ENDPOINT + "/" + newContainerName(containerHint)),
        new StorageSettings.Azure(CONNECTION_STRING, null, false));
  }

  private Azurite() {}
}
