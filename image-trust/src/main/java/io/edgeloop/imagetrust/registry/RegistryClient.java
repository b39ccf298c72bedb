package io.edgeloop.imagetrust.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.imagetrust.ImageReference;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few calls of the OCI distribution API (Docker registry v2) that signatures need: manifests
 * and blobs, read and written. Authentication follows the registry's challenge: anonymous first;
 * on {@code 401 WWW-Authenticate: Bearer realm=..,service=..,scope=..} a token is fetched from the
 * realm (with the credentials of that registry, if any) and kept per repository; on {@code Basic}
 * the credentials are sent as is. Credentials go only to the registry they belong to (and its token
 * realm), never over plain HTTP to a host other than loopback, and never along a redirect (blob
 * downloads may be redirected to storage, which gets no {@code Authorization}).
 *
 * <p>Loopback registries (127.0.0.1, localhost, ::1) are spoken to over plain HTTP; any other over
 * HTTPS, unless listed in {@code plainHttpRegistries}.
 */
public final class RegistryClient {
  /** Manifest types accepted when reading. */
  public static final String MANIFEST_TYPES = String.join(",", "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final HttpClient http;
  private final Map<String, RegistryCredentials> credentials;
  private final List<String> plainHttpRegistries;
  private final Duration timeout;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  /**
   * @param credentials per registry; registries not listed are used anonymously
   * @param plainHttpRegistries non-loopback registries to reach over plain HTTP (test labs only)
   * @param timeout connect and request timeout
   */
  public RegistryClient(List<RegistryCredentials> credentials, List<String> plainHttpRegistries, Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    Map<String, RegistryCredentials> byRegistry = new ConcurrentHashMap<>();
    credentials.forEach(c -> byRegistry.put(c.registry(), c));
    this.credentials = Map.copyOf(byRegistry);
    this.plainHttpRegistries = List.copyOf(plainHttpRegistries);
    this.timeout = timeout;
  }

  /** Anonymous access, 30 s timeouts. */
  public static RegistryClient anonymous() {
    return new RegistryClient(List.of(), List.of(), Duration.ofSeconds(30));
  }

  /** A manifest with its digest and media type. */
  public record Manifest(String digest, String mediaType, byte[] bytes) {
    public JsonNode json() throws RegistryException {
      try {
        return JSON.readTree(bytes);
      } catch (IOException e) {
        throw new RegistryException("the registry served a manifest that is not JSON", false, 200, e);
      }
    }
  }

  /** The manifest {@code reference} (a tag or a digest) of {@code repository}, or empty when the registry has none. */
  public Optional<Manifest> manifest(String registry, String repository, String reference)
      throws RegistryException, InterruptedException {
    HttpResponse<byte[]> response = send(registry, repository, false,
        request(registry, "/v2/" + repository + "/manifests/" + reference).header("Accept", MANIFEST_TYPES).GET());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    expect(response, 200, "reading manifest " + repository + ":" + reference);
    String digest = response.headers().firstValue("Docker-Content-Digest").orElse(sha256(response.body()));
    if (reference.startsWith("sha256:") && !reference.equals(sha256(response.body()))) {
      throw new RegistryException("the registry served manifest " + reference + " with other content (" + sha256(response.body())
          + ")", false, 200, null);
    }
    return Optional.of(new Manifest(digest, response.headers().firstValue("Content-Type").orElse(""), response.body()));
  }

  /** Blob {@code digest} of {@code repository}, checked against its digest; empty when the registry has none. */
  public Optional<byte[]> blob(String registry, String repository, String digest, long maxBytes)
      throws RegistryException, InterruptedException {
    HttpResponse<byte[]> response = send(registry, repository, false,
        request(registry, "/v2/" + repository + "/blobs/" + digest).GET());
    if (response.statusCode() == 307 || response.statusCode() == 302 || response.statusCode() == 303) {
      // Storage behind the registry: follow without the registry's credentials.
      URI location = URI.create(response.uri().resolve(response.headers().firstValue("Location").orElseThrow()).toString());
      response = exchange(HttpRequest.newBuilder(location).timeout(timeout).GET().build(), "fetching blob " + digest);
    }
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    expect(response, 200, "fetching blob " + digest + " of " + repository);
    if (response.body().length > maxBytes) {
      throw new RegistryException("blob " + digest + " is " + response.body().length + " bytes, over the " + maxBytes
          + " expected", false, 200, null);
    }
    if (!digest.equals(sha256(response.body()))) {
      throw new RegistryException("blob " + digest + " of " + repository + " has other content (" + sha256(response.body())
          + ")", false, 200, null);
    }
    return Optional.of(response.body());
  }

  /** Uploads {@code content} as a blob of {@code repository} unless it is there already; returns its digest. */
  public String putBlob(String registry, String repository, byte[] content) throws RegistryException, InterruptedException {
    String digest = sha256(content);
    HttpResponse<byte[]> head = send(registry, repository, true,
        request(registry, "/v2/" + repository + "/blobs/" + digest).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    if (head.statusCode() == 200) {
      return digest;
    }
    HttpResponse<byte[]> started = send(registry, repository, true,
        request(registry, "/v2/" + repository + "/blobs/uploads/").POST(HttpRequest.BodyPublishers.noBody()));
    expect(started, 202, "starting a blob upload to " + repository);
    URI location = started.uri().resolve(started.headers().firstValue("Location")
        .orElseThrow(() -> new RegistryException("the registry started an upload without a Location", false, 202, null)));
    String separator = location.getRawQuery() == null ? "?" : "&";
    URI put = URI.create(location + separator + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8));
    if (!sameRegistry(registry, put)) {
      throw new RegistryException("the registry sent the upload of " + repository + " to another host: " + put, false, 202, null);
    }
    HttpResponse<byte[]> done = send(registry, repository, true, HttpRequest.newBuilder(put).timeout(timeout)
        .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
    expect(done, 201, "uploading blob " + digest + " to " + repository);
    return digest;
  }

  /** Stores {@code manifest} under {@code tag}; returns its digest. */
  public String putManifest(String registry, String repository, String tag, String mediaType, byte[] manifest)
      throws RegistryException, InterruptedException {
    HttpResponse<byte[]> response = send(registry, repository, true,
        request(registry, "/v2/" + repository + "/manifests/" + tag).header("Content-Type", mediaType)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
    expect(response, 201, "storing manifest " + repository + ":" + tag);
    return response.headers().firstValue("Docker-Content-Digest").orElse(sha256(manifest));
  }

  /** {@code sha256:<hex>} of {@code content}. */
  public static String sha256(byte[] content) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JDK", e);
    }
  }

  /** The base URL of {@code registry}: plain HTTP for loopback and listed registries, else HTTPS. */
  public URI base(String registry) {
    boolean plain = ImageReference.isLoopback(registry) || plainHttpRegistries.contains(registry);
    return URI.create((plain ? "http://" : "https://") + registry);
  }

  private HttpRequest.Builder request(String registry, String path) {
    return HttpRequest.newBuilder(base(registry).resolve(path)).timeout(timeout);
  }

  /** Sends with the token or credentials this registry wants, answering one challenge if it asks. */
  private HttpResponse<byte[]> send(String registry, String repository, boolean push, HttpRequest.Builder builder)
      throws RegistryException, InterruptedException {
    String scope = "repository:" + repository + ":" + (push ? "pull,push" : "pull");
    String key = registry + " " + scope;
    String authorization = tokens.get(key);
    HttpRequest.Builder first = builder.copy();
    if (authorization != null) {
      first.header("Authorization", authorization);
    }
    HttpResponse<byte[]> response = exchange(first.build(), "calling " + registry);
    if (response.statusCode() != 401) {
      return response;
    }
    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
    authorization = answer(registry, scope, challenge);
    tokens.put(key, authorization);
    HttpRequest.Builder again = builder.copy();
    again.header("Authorization", authorization);
    response = exchange(again.build(), "calling " + registry);
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      tokens.remove(key);
      throw new RegistryException("registry " + registry + " refused " + (credentialsOf(registry).isPresent()
          ? "the credentials" : "anonymous access") + " for " + scope + ": HTTP " + response.statusCode(), false,
          response.statusCode(), null);
    }
    return response;
  }

  private String answer(String registry, String scope, String challenge) throws RegistryException, InterruptedException {
    Optional<RegistryCredentials> creds = credentialsOf(registry);
    if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
      RegistryCredentials c = creds.orElseThrow(() -> new RegistryException("registry " + registry
          + " asks for credentials and none are configured for it", false, 401, null));
      requireSafeChannel(registry, base(registry));
      return basic(c);
    }
    if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
      throw new RegistryException("registry " + registry + " asks for an unknown authentication: '" + challenge + "'", false, 401, null);
    }
    Map<String, String> params = new java.util.HashMap<>();
    Matcher m = CHALLENGE_PARAM.matcher(challenge);
    while (m.find()) {
      params.put(m.group(1), m.group(2));
    }
    String realm = params.get("realm");
    if (realm == null) {
      throw new RegistryException("registry " + registry + " sent a Bearer challenge without a realm", false, 401, null);
    }
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
    if (params.containsKey("service")) {
      url.append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8)).append('&');
    }
    url.append("scope=").append(URLEncoder.encode(params.getOrDefault("scope", scope), StandardCharsets.UTF_8));
    URI tokenUri = URI.create(url.toString());
    HttpRequest.Builder tokenRequest = HttpRequest.newBuilder(tokenUri).timeout(timeout).GET();
    if (creds.isPresent()) {
      requireSafeChannel(registry, tokenUri);
      tokenRequest.header("Authorization", basic(creds.get()));
    }
    HttpResponse<byte[]> response = exchange(tokenRequest.build(), "fetching a token for " + registry);
    expect(response, 200, "fetching a token for " + registry + " from " + realm);
    try {
      JsonNode body = JSON.readTree(response.body());
      String token = body.hasNonNull("token") ? body.get("token").asText() : body.path("access_token").asText(null);
      if (token == null) {
        throw new RegistryException("the token service of " + registry + " answered without a token", false, 200, null);
      }
      return "Bearer " + token;
    } catch (IOException e) {
      throw new RegistryException("the token service of " + registry + " answered no JSON", false, 200, e);
    }
  }

  private Optional<RegistryCredentials> credentialsOf(String registry) {
    return Optional.ofNullable(credentials.get(registry));
  }

  /** Credentials never travel in clear text except to this host itself. */
  private static void requireSafeChannel(String registry, URI target) throws RegistryException {
    if (!"https".equals(target.getScheme()) && !ImageReference.isLoopback(target.getHost() == null ? "" : target.getHost())) {
      throw new RegistryException("refusing to send the credentials of " + registry + " over plain HTTP to " + target.getHost(),
          false, 401, null);
    }
  }

  private boolean sameRegistry(String registry, URI uri) {
    URI base = base(registry);
    return base.getHost().equalsIgnoreCase(uri.getHost()) && base.getPort() == uri.getPort();
  }

  private static String basic(RegistryCredentials c) {
    return "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<byte[]> exchange(HttpRequest request, String what) throws RegistryException, InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new RegistryException(what + " failed: registry unreachable (" + request.uri().getAuthority() + "): " + e, true, 0, e);
    }
  }

  private static void expect(HttpResponse<byte[]> response, int status, String what) throws RegistryException {
    if (response.statusCode() == status) {
      return;
    }
    int code = response.statusCode();
    boolean transientFailure = code >= 500 || code == 429 || code == 408;
    String body = new String(response.body(), StandardCharsets.UTF_8);
    throw new RegistryException(what + ": HTTP " + code + (body.isBlank() ? "" : " " + body.strip()), transientFailure, code, null);
  }
}
