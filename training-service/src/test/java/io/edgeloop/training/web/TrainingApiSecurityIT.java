package io.edgeloop.training.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.security.Role;
import io.edgeloop.security.test.OversizedUpload;
import io.edgeloop.security.test.TestTokens;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The training API's own security: the token API (admin only, the secret shown once, never listed),
 * metrics only from the run's own token, and bounded request bodies (the 50 MB run request of issue 12).
 */
class TrainingApiSecurityIT extends TrainingApiSupport {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  private HttpResponse<String> send(String method, String path, String token, String contentType, HttpRequest.BodyPublisher body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method, body);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> json(String method, String path, String token, String body) throws Exception {
    return send(method, path, token, "application/json",
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
  }

  @Test
  void shouldIssueListAndRevokeTokensShowingTheSecretOnlyOnce() throws Exception {
    String admin = TestTokens.admin(context);
    HttpResponse<String> created = json("POST", "/api/tokens", admin,
        "{\"name\":\"ci-bot\",\"roles\":[\"scientist\"],\"expiresAt\":\"2099-01-01T00:00:00Z\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode issued = JSON.readTree(created.body());
    String secret = issued.get("token").asText();
    assertThat(secret).matches("elt_[A-Za-z0-9_-]{43}");
    assertThat(issued.get("roles").toString()).isEqualTo("[\"scientist\"]");
    assertThat(issued.get("expiresAt").asText()).isEqualTo("2099-01-01T00:00:00Z");
    String id = issued.get("id").asText();

    // the new token works with its role and no more
    assertThat(json("POST", "/api/runs", secret, "{}").statusCode()).isEqualTo(400); // let in: "experiment is required"
    assertThat(json("POST", "/api/models/m/versions/1/promote", secret, null).statusCode()).isEqualTo(403);

    HttpResponse<String> listed = json("GET", "/api/tokens", admin, null);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.body()).contains("ci-bot", id).doesNotContain(secret).doesNotContain("sha256").doesNotContain("elt_");

    assertThat(json("DELETE", "/api/tokens/" + id, admin, null).statusCode()).isEqualTo(204);
    assertThat(json("POST", "/api/runs", secret, "{}").statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(json("GET", "/api/tokens", admin, null).body()).findValues("revokedAt").toString()).isNotEqualTo("[null]");

    assertThat(json("DELETE", "/api/tokens/" + java.util.UUID.randomUUID(), admin, null).statusCode()).isEqualTo(404);
    assertThat(json("POST", "/api/tokens", admin, "{\"name\":\"x\",\"roles\":[\"root\"]}").body()).contains("unknown role 'root'");
    assertThat(json("POST", "/api/tokens", admin, "{\"name\":\"x\",\"roles\":[\"run\"]}").statusCode()).isEqualTo(400);
    assertThat(json("GET", "/api/tokens", TestTokens.issue(context, Role.OPERATOR), null).statusCode()).isEqualTo(403);
  }

  @Test
  void shouldTakeMetricsOnlyFromTheRunsOwnToken() throws Exception {
    String metric = "{\"key\":\"loss\",\"value\":0.5}";
    // authorisation comes first: the run's own token reaches the handler (no such run here: 404) ...
    assertThat(json("POST", "/api/runs/run-1/metrics", TestTokens.run(context, "run-1"), metric).statusCode()).isEqualTo(404);
    // ... another run's token, an admin and nobody do not
    assertThat(json("POST", "/api/runs/run-1/metrics", TestTokens.run(context, "run-2"), metric).statusCode()).isEqualTo(403);
    assertThat(json("POST", "/api/runs/run-1/metrics", TestTokens.admin(context), metric).statusCode()).isEqualTo(403);
    assertThat(json("POST", "/api/runs/run-1/metrics", null, metric).statusCode()).isEqualTo(401);
  }

  @Test
  void shouldRefuseAFiftyMegabyteRunRequestBeforeReadingIt() throws Exception {
    long body = 50L * 1024 * 1024;
    OversizedUpload.Outcome outcome = OversizedUpload.send(port, "POST", "/api/runs", "application/json",
        TestTokens.issue(context, Role.SCIENTIST), "{\"experiment\":\"turbofan-rul\",\"spec\":{\"kind\":\"script\",\"settings\":{\"command\":\"", body);
    System.out.printf("training: 50 MiB run request, %d bytes sent before the answer, %d bytes allocated by the JVM meanwhile%n",
        outcome.sentBytes(), outcome.allocatedBytes());
    assertThat(outcome.status()).as(outcome.response()).isEqualTo(413);
    assertThat(outcome.response()).contains("edgeloop.security.max-body-bytes");
    assertThat(outcome.allocatedBytes()).isLessThan(body / 5);
  }

  @Test
  void shouldBoundSnapshotUploadsByTheirOwnLimit() throws Exception {
    String scientist = TestTokens.issue(context, Role.SCIENTIST);
    // over the API's 1 MiB default, under max-snapshot-bytes (3,000,000 here): accepted
    byte[] zip = zip(2_000_000);
    HttpResponse<String> ok = send("POST", "/api/snapshots", scientist, "application/zip", HttpRequest.BodyPublishers.ofByteArray(zip));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(JSON.readTree(ok.body()).get("snapshot").asText()).matches("[0-9a-f]{64}");
    // over max-snapshot-bytes, declared or streamed: 413 naming the setting
    HttpResponse<String> large = send("POST", "/api/snapshots", scientist, "application/zip",
        HttpRequest.BodyPublishers.ofByteArray(new byte[3_500_000]));
    assertThat(large.statusCode()).isEqualTo(413);
    assertThat(large.body()).contains("edgeloop.training.max-snapshot-bytes");
    OversizedUpload.Outcome streamed = OversizedUpload.send(port, "POST", "/api/snapshots", "application/zip", scientist, "", 50L * 1024 * 1024);
    assertThat(streamed.status()).isEqualTo(413);
  }

  /** A zip holding one stored (uncompressed) file of {@code bytes} bytes, so the archive is as large. */
  private static byte[] zip(int bytes) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      byte[] data = new byte[bytes];
      new java.util.Random(1).nextBytes(data);
      ZipEntry entry = new ZipEntry("weights.bin");
      zip.putNextEntry(entry);
      zip.write(data);
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("train.py"));
      zip.write("print('hi')\n".getBytes());
    }
    return out.toByteArray();
  }
}
