package io.edgeloop.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Reads images back from the registry over its HTTP API (OCI distribution spec), as a client of the registry would. */
public final class RegistryApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String ACCEPT = "application/vnd.oci.image.manifest.v1+json,"
      + "application/vnd.docker.distribution.manifest.v2+json";

  private RegistryApi() {}

  /** The manifest of {@code repository:tagOrDigest}. */
  public static JsonNode manifest(String repository, String tagOrDigest) throws Exception {
    return JSON.readTree(get("/v2/" + repository + "/manifests/" + tagOrDigest).body());
  }

  /** The digest the registry serves for {@code repository:tag}. */
  public static String digest(String repository, String tag) throws Exception {
    return get("/v2/" + repository + "/manifests/" + tag).headers().firstValue("Docker-Content-Digest").orElseThrow();
  }

  public static List<String> layerDigests(JsonNode manifest) {
    List<String> digests = new ArrayList<>();
    manifest.path("layers").forEach(l -> digests.add(l.path("digest").asText()));
    return digests;
  }

  /** The image config (labels, entrypoint, env) of a manifest. */
  public static JsonNode config(String repository, JsonNode manifest) throws Exception {
    return JSON.readTree(get("/v2/" + repository + "/blobs/" + manifest.path("config").path("digest").asText()).body());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://" + Infrastructure.REGISTRY + path)).header("Accept", ACCEPT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
    }
    return response;
  }
}
