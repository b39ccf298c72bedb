package io.edgeloop.modelserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bearer tokens on a real server: management endpoints closed by default, inference too with scope {@code all}, health never. */
class AuthenticationTest {
  static final String TOKEN = "elt_model-server-test-token";
  static final String INFER = OipClient.json(Map.of("inputs",
      List.of(Map.of("name", "features", "datatype", "FP32", "shape", new long[] {1, 4}, "data", new float[] {1f, 2f, 3f, 4f}))));

  @TempDir Path dir;

  private ModelServer start(String scope) throws IOException {
    ModelServerAuth auth = ModelServerAuth.resolve(ModelServerAuth.sha256(TOKEN), null, scope);
    return ModelServer.start(ModelServerConfig.of(ModelPackageMother.linear(dir.resolve("pkg"))).withPort(0).withAuth(auth));
  }

  @Test
  void shouldCloseManagementAndLeaveHealthAndInferenceOpenByDefault() throws IOException {
    try (ModelServer server = start(null)) {
      OipClient anonymous = new OipClient(server);
      OipClient.Response metrics = anonymous.get("/metrics");
      assertThat(metrics.status()).isEqualTo(401);
      assertThat(metrics.json().get("error").asText()).contains("bearer token");
      assertThat(new OipClient(server, "elt_wrong").get("/metrics").status()).isEqualTo(401);
      assertThat(new OipClient(server, TOKEN).get("/metrics").status()).isEqualTo(200);
      assertThat(anonymous.get("/v2/health/live").status()).isEqualTo(200);
      assertThat(anonymous.get("/v2/health/ready").status()).isEqualTo(200);
      assertThat(anonymous.get("/v2/models/rul/ready").status()).isEqualTo(200);
      assertThat(anonymous.post("/v2/models/rul/infer", INFER).status()).isEqualTo(200);
      assertThat(anonymous.get("/v2/models/rul").status()).isEqualTo(200);
      // unknown paths need a token before they get their 404
      assertThat(anonymous.get("/admin").status()).isEqualTo(401);
      assertThat(new OipClient(server, TOKEN).get("/admin").status()).isEqualTo(404);
      // refusals are counted like any answer
      assertThat(new OipClient(server, TOKEN).get("/metrics").body())
          .contains("edgeloop_inference_requests_total{endpoint=\"metrics\",status=\"401\"}");
    }
  }

  @Test
  void shouldCloseInferenceTooWithScopeAll() throws IOException {
    try (ModelServer server = start("all")) {
      OipClient anonymous = new OipClient(server);
      OipClient.Response refused = anonymous.post("/v2/models/rul/infer", INFER);
      assertThat(refused.status()).isEqualTo(401);
      assertThat(anonymous.get("/v2/models/rul").status()).isEqualTo(401);
      assertThat(anonymous.get("/v2").status()).isEqualTo(401);
      assertThat(new OipClient(server, TOKEN).post("/v2/models/rul/infer", INFER).status()).isEqualTo(200);
      assertThat(anonymous.get("/v2/health/ready").status()).isEqualTo(200);
      assertThat(anonymous.get("/v2/models/rul/versions/3/ready").status()).isEqualTo(200);
    }
  }

  @Test
  void shouldRefuseFromTheHeadersWithoutReadingTheBody() throws IOException {
    try (ModelServer server = start("all"); Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      OutputStream out = socket.getOutputStream();
      // declares 3 MB and sends none of it: the answer comes anyway
      out.write(("POST /v2/models/rul/infer HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: 3000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 401").containsIgnoringCase("www-authenticate: Bearer");
    }
  }

  @Test
  void shouldReadTokensFromAFileAndCheckTheSettings() throws IOException {
    Path file = Files.writeString(dir.resolve("tokens"), "# edge gateway\n" + TOKEN + "\n\nsecond-token\n");
    ModelServerConfig config = ModelServerConfig.resolve(new String[0],
        Map.of("EDGELOOP_MODEL_DIR", "/m", "EDGELOOP_AUTH_TOKENS_FILE", file.toString(), "EDGELOOP_AUTH_SCOPE", "all"));
    assertThat(config.auth().scope()).isEqualTo(ModelServerAuth.Scope.ALL);
    assertThat(config.auth().accepts("Bearer " + TOKEN)).isTrue();
    assertThat(config.auth().accepts("bearer second-token")).isTrue();
    assertThat(config.auth().accepts("Bearer other")).isFalse();
    assertThat(config.auth().accepts(null)).isFalse();
    assertThat(config.auth().tokenSha256()).hasSize(2).noneMatch(h -> h.contains("token"));

    ModelServerConfig hashes = ModelServerConfig.resolve(new String[0],
        Map.of("EDGELOOP_MODEL_DIR", "/m", "EDGELOOP_AUTH_TOKEN_SHA256", ModelServerAuth.sha256("a") + ", " + ModelServerAuth.sha256("b")));
    assertThat(hashes.auth().scope()).isEqualTo(ModelServerAuth.Scope.MANAGEMENT);
    assertThat(hashes.auth().accepts("Bearer b")).isTrue();
    assertThat(ModelServerConfig.resolve(new String[0], Map.of("EDGELOOP_MODEL_DIR", "/m")).auth().enabled()).isFalse();

    assertThatThrownBy(() -> ModelServerConfig.resolve(new String[0], Map.of("EDGELOOP_MODEL_DIR", "/m", "EDGELOOP_AUTH_TOKEN_SHA256", "abc")))
        .hasMessageContaining("not a SHA-256");
    assertThatThrownBy(() -> ModelServerConfig.resolve(new String[0], Map.of("EDGELOOP_MODEL_DIR", "/m", "EDGELOOP_AUTH_SCOPE", "all")))
        .hasMessageContaining("no token is");
    assertThatThrownBy(() -> ModelServerConfig.resolve(new String[] {"--auth-scope=some"},
        Map.of("EDGELOOP_MODEL_DIR", "/m", "EDGELOOP_AUTH_TOKEN_SHA256", ModelServerAuth.sha256("a"))))
        .hasMessageContaining("management or all");
    assertThatThrownBy(() -> ModelServerConfig.resolve(new String[0],
        Map.of("EDGELOOP_MODEL_DIR", "/m", "EDGELOOP_AUTH_TOKENS_FILE", dir.resolve("missing").toString())))
        .hasMessageContaining("cannot read EDGELOOP_AUTH_TOKENS_FILE");
  }
}
