package io.edgeloop.deploy.trust;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Copies an image between repositories of the local registry byte for byte (blobs mounted across
 * repositories, the very same manifest), so the copy has the same digest: what a promotion script
 * or {@code crane cp} does. The copy carries no signature: cosign's are per repository.
 */
final class RegistryCopy {
  private static final String REGISTRY = "http://127.0.0.1:5000";
  private static final String ACCEPT = "application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private RegistryCopy() {}

  /** Copies {@code fromRepository@digest} to {@code toRepository:tag}; returns {@code 127.0.0.1:5000/toRepository:tag}. */
  static String copy(String fromRepository, String digest, String toRepository, String tag) throws IOException, InterruptedException {
    HttpResponse<byte[]> manifest = HTTP.send(HttpRequest.newBuilder(URI.create(REGISTRY + "/v2/" + fromRepository + "/manifests/" + digest))
        .header("Accept", ACCEPT).build(), HttpResponse.BodyHandlers.ofByteArray());
    expect(manifest, 200, "reading " + fromRepository + "@" + digest);
    JsonNode json = new ObjectMapper().readTree(manifest.body());
    mount(fromRepository, toRepository, json.path("config").path("digest").asText());
    for (JsonNode layer : json.path("layers")) {
      mount(fromRepository, toRepository, layer.path("digest").asText());
    }
    String type = manifest.headers().firstValue("Content-Type").orElseThrow();
    HttpResponse<byte[]> put = HTTP.send(HttpRequest.newBuilder(URI.create(REGISTRY + "/v2/" + toRepository + "/manifests/" + tag))
        .header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.body())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    expect(put, 201, "storing " + toRepository + ":" + tag);
    return "127.0.0.1:5000/" + toRepository + ":" + tag;
  }

  private static void mount(String from, String to, String digest) throws IOException, InterruptedException {
    HttpResponse<byte[]> mounted = HTTP.send(HttpRequest.newBuilder(URI.create(REGISTRY + "/v2/" + to + "/blobs/uploads/?mount="
        + digest + "&from=" + from)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    expect(mounted, 201, "mounting " + digest + " from " + from + " into " + to);
  }

  private static void expect(HttpResponse<byte[]> response, int status, String what) throws IOException {
    if (response.statusCode() != status) {
      throw new IOException(what + ": HTTP " + response.statusCode() + " " + new String(response.body()));
    }
  }
}
