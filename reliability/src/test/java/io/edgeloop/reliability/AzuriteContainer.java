package io.edgeloop.reliability;

import io.edgeloop.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;

/** Azurite's blob service in a container ({@link LocalImages#azurite()}) on the host network at a free loopback port. */
final class AzuriteContainer extends GenericContainer<AzuriteContainer> {
  /** Azurite's well-known development account. */
  static final String ACCOUNT = "devstoreaccount1";
  private static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  private final int port = FreePorts.next();

  AzuriteContainer() {
    super(LocalImages.azurite());
    withNetworkMode("host");
    withEnv("AZURITE_PORT", String.valueOf(port));
  }

  String endpoint() {
    return "http://127.0.0.1:" + port + "/" + ACCOUNT;
  }

  String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY + ";BlobEndpoint=" + endpoint() + ";";
  }

  @Override
  public void start() {
    super.start();
    awaitReady(Duration.ofSeconds(60));
  }

  /** Until the blob service answers HTTP (any status: an anonymous request is refused, but answered). */
  void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Ready.await("Azurite", timeout, () -> http.send(HttpRequest.newBuilder(URI.create(endpoint() + "?comp=list"))
        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()), this::getLogs);
  }
}
