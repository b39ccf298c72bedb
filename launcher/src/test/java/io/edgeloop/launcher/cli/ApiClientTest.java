package io.edgeloop.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the CLI's client turns what a service answers into one line: refused tokens (which token,
 * which role), missing things, problem details, a service that is not there. The server here
 * answers as the services do (RFC 7807 bodies) and records what it was sent.
 */
class ApiClientTest {
  private HttpServer server;
  private String base;
  private final List<String> authorizations = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    Map<String, Integer> statuses = Map.of("/unauthorized", 401, "/forbidden", 403, "/missing", 404, "/conflict", 409, "/ok", 200);
    server.createContext("/", exchange -> {
      authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      int status = statuses.getOrDefault(exchange.getRequestURI().getPath(), 500);
      byte[] body = (status == 200 ? "{\"name\":\"x\"}"
          : "{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":" + status + ",\"detail\":\"version 3 is deployed on edge-local\\nsecond line\"}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private ApiClient client(Token token) {
    return new ApiClient(token, (service, url) -> "cannot reach " + service.id() + " at " + url);
  }

  @Test
  void shouldSendTheTokenAsABearerAndReadJson() {
    assertThat(client(new Token("elt_abc", "--token")).get(Service.TRAINING, base, "/ok").path("name").asText()).isEqualTo("x");
    assertThat(authorizations).containsExactly("Bearer elt_abc");
  }

  @Test
  void shouldSayWhichTokenWasRefusedAndWhichRoleTheCallNeeds() {
    ApiClient api = client(new Token("elt_abc", "/data/.edgeloop/admin.token"));
    assertThatThrownBy(() -> api.call(Service.TRAINING, base, "POST", "/forbidden").role(Role.OPERATOR).json())
        .isInstanceOf(CliException.class)
        .hasMessage("training-service refused the token from /data/.edgeloop/admin.token (403): this needs role operator");
    assertThatThrownBy(() -> api.call(Service.DEPLOY, base, "GET", "/unauthorized").json())
        .hasMessage("deploy-service refused the request (401): the token from /data/.edgeloop/admin.token is not valid "
            + "(unknown, expired or revoked); this needs role viewer");
  }

  @Test
  void shouldSayThatNoTokenWasSentWhenThereIsNone() {
    Token none = Token.resolve(null, null, java.nio.file.Path.of("/nowhere/admin.token"));
    assertThatThrownBy(() -> client(none).call(Service.TRAINING, base, "GET", "/unauthorized").json())
        .hasMessageStartingWith("training-service refused the request (401): no token was sent")
        .hasMessageContaining("no --token, no EDGELOOP_TOKEN, no /nowhere/admin.token");
    assertThat(authorizations).containsExactly("null");
  }

  @Test
  void shouldReportAMissingThingAsTheCommandSaysIt() {
    assertThatThrownBy(() -> client(new Token(null, "none")).call(Service.TRAINING, base, "GET", "/missing").missing("no run 'nope'").json())
        .hasMessage("no run 'nope'");
  }

  @Test
  void shouldReportTheProblemDetailsFirstLineOtherwise() {
    assertThatThrownBy(() -> client(new Token(null, "none")).call(Service.TRAINING, base, "DELETE", "/conflict").json())
        .hasMessage("training-service: version 3 is deployed on edge-local (HTTP 409)");
  }

  @Test
  void shouldSayWhenAServiceDoesNotAnswer() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closed;
    assertThatThrownBy(() -> client(new Token(null, "none")).get(Service.INGEST, url, "/api/datasets"))
        .isInstanceOf(CliException.class).hasMessage("cannot reach ingest-service at " + url);
  }
}
