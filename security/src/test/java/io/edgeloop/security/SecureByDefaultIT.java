package io.edgeloop.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeloop.security.web.InsecureConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

/**
 * Secure by default: authentication off is refused unless the service is on loopback, and then said
 * once; a service with nothing to check tokens against does not start; on loopback, requests naming
 * another host are refused (DNS rebinding). Each case starts the app as an operator would, without a
 * database (so quickly).
 */
@ExtendWith(OutputCaptureExtension.class)
class SecureByDefaultIT {
  private static final String NO_DATABASE = "--spring.autoconfigure.exclude="
      + "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration,io.edgeloop.database.EmbeddedPostgresConfiguration";

  private static ConfigurableApplicationContext start(String... args) {
    List<String> all = new ArrayList<>(List.of(NO_DATABASE, "--server.port=0"));
    all.addAll(List.of(args));
    return new SpringApplicationBuilder(SecurityTestApp.class).run(all.toArray(String[]::new));
  }

  private static int port(ConfigurableApplicationContext context) {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  @Test
  void shouldRefuseModeNoneOnEveryInterfaceWithOneLineSayingWhy(CapturedOutput output) {
    assertThatThrownBy(() -> start("--edgeloop.security.mode=none"))
        .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e))
            .isInstanceOf(InsecureConfigurationException.class)
            .hasMessage("edgeloop.security.mode=none is refused: the service would listen on every network interface, "
                + "and authentication may be off only on loopback"));
    assertThat(output).contains("Description:", "authentication may be off only on loopback", "Action:", "server.address=127.0.0.1");
    assertThatThrownBy(() -> start("--edgeloop.security.mode=none", "--server.address=0.0.0.0"))
        .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e)).hasMessageContaining("would listen on 0.0.0.0"));
  }

  @Test
  void shouldRefuseTokenModeWithNothingToCheckTokensAgainst() {
    assertThatThrownBy(() -> start())
        .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e))
            .isInstanceOf(InsecureConfigurationException.class)
            .hasMessageContaining("nothing to check tokens against"));
  }

  @Test
  void shouldRunOpenOnLoopbackWithModeNoneAndSaySoOnce(CapturedOutput output) throws Exception {
    try (ConfigurableApplicationContext app = start("--edgeloop.security.mode=none", "--server.address=127.0.0.1")) {
      SecurityTestClient client = new SecurityTestClient(port(app));
      assertThat(client.get("/api/things", null).statusCode()).isEqualTo(200);
      assertThat(client.post("/api/things/7/approve", null, "").statusCode()).isEqualTo(200);
      // bodies stay bounded without authentication
      HttpResponse<String> big = client.post("/api/things", null, "{\"text\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}");
      assertThat(big.statusCode()).isEqualTo(413);
      assertThat(output.getOut().lines().filter(l -> l.contains("WARN") && l.contains("edgeloop.security.mode=none"))).hasSize(1);
      assertThat(output).contains("authentication is OFF");
    }
  }

  @Test
  void shouldAnswerOnlyLoopbackNamesOnLoopback() throws Exception {
    try (ConfigurableApplicationContext app = start("--edgeloop.security.mode=none", "--server.address=127.0.0.1",
        "--edgeloop.security.allowed-hosts=edge.example")) {
      int port = port(app);
      assertThat(statusWithHost(port, "localhost:" + port)).isEqualTo(200);
      assertThat(statusWithHost(port, "127.0.0.1:" + port)).isEqualTo(200);
      assertThat(statusWithHost(port, "[::1]:" + port)).isEqualTo(200);
      assertThat(statusWithHost(port, "LOCALHOST")).isEqualTo(200);
      assertThat(statusWithHost(port, "edge.example:8443")).isEqualTo(200);
      assertThat(statusWithHost(port, "evil.example:" + port)).isEqualTo(403);
      assertThat(statusWithHost(port, "localhost.evil.example")).isEqualTo(403);
      assertThat(statusWithHost(port, "127.0.0.2")).isEqualTo(403);
    }
  }

  @Test
  void shouldCheckNoHostWhenBoundToEveryInterfaceWithoutAList() throws Exception {
    try (ConfigurableApplicationContext app = start("--edgeloop.security.oidc.jwk-set-uri=" + TestIdentityProvider.get().jwkSetUri())) {
      int port = port(app);
      assertThat(statusWithHost(port, "gateway.plant-a.example")).isEqualTo(401);
      assertThat(new SecurityTestClient(port).get("/actuator/health", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void shouldCloseMetricsWhenAskedAndKeepHealthOpen() {
    String jwks = "--edgeloop.security.oidc.jwk-set-uri=" + TestIdentityProvider.get().jwkSetUri();
    try (ConfigurableApplicationContext app = start(jwks, "--edgeloop.security.metrics-open=false")) {
      SecurityTestClient client = new SecurityTestClient(port(app));
      assertThat(client.get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
      String viewer = TestIdentityProvider.get().token(c -> c.claim("roles", List.of("viewer")));
      assertThat(client.get("/actuator/prometheus", viewer).statusCode()).isEqualTo(200);
      assertThat(client.get("/actuator/health", null).statusCode()).isEqualTo(200);
    }
    try (ConfigurableApplicationContext app = start(jwks)) {
      assertThat(new SecurityTestClient(port(app)).get("/actuator/prometheus", null).statusCode()).isEqualTo(200);
    }
  }

  /** GET /api/things with a chosen Host header (the JDK client will not set one). */
  private static int statusWithHost(int port, String host) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /api/things HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }
}
