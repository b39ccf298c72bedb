package io.edgeloop.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A service that trusts only the site's identity provider (no database, so no edgeloop API tokens),
 * found through its issuer's discovery document: {@code iss} and {@code aud} are checked, roles come
 * from a nested claim with a prefix, as Keycloak issues them.
 */
@SpringBootTest(classes = SecurityTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration,"
        + "io.edgeloop.database.EmbeddedPostgresConfiguration",
    "edgeloop.security.oidc.audience=edgeloop",
    "edgeloop.security.oidc.roles-claim=realm_access.roles",
    "edgeloop.security.oidc.role-prefix=edgeloop-"})
class IssuerJwtIT {
  @DynamicPropertySource
  static void issuer(DynamicPropertyRegistry registry) {
    registry.add("edgeloop.security.oidc.issuer-uri", () -> TestIdentityProvider.get().issuer());
  }

  @LocalServerPort int port;
  final TestIdentityProvider idp = TestIdentityProvider.get();
  SecurityTestClient client;

  @BeforeEach
  void client() {
    client = new SecurityTestClient(port);
  }

  private String token(String issuer, String audience, List<String> roles) {
    return idp.token(c -> c.issuer(issuer).audience(audience).claim("realm_access", Map.of("roles", roles)));
  }

  @Test
  void shouldAcceptATokenOfTheIssuerForThisAudienceWithPrefixedRoles() {
    String scientist = token(idp.issuer(), "edgeloop", List.of("edgeloop-scientist", "offline_access", "operator"));
    assertThat(client.post("/api/things", scientist, "{\"text\":\"x\"}").statusCode()).isEqualTo(200);
    assertThat(client.get("/api/things", scientist).statusCode()).isEqualTo(200);
    // "operator" without the prefix is someone else's role
    assertThat(client.post("/api/things/7/approve", scientist, "").statusCode()).isEqualTo(403);
  }

  @Test
  void shouldRefuseATokenFromAnotherIssuer() {
    String other = token(idp.issuer().replace("/site", "/other"), "edgeloop", List.of("edgeloop-admin"));
    HttpResponse<String> response = client.get("/api/things", other);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("iss");
  }

  @Test
  void shouldRefuseATokenForAnotherAudience() {
    assertThat(client.get("/api/things", token(idp.issuer(), "billing", List.of("edgeloop-admin"))).statusCode()).isEqualTo(401);
  }

  @Test
  void shouldRefuseEdgeloopApiTokensWithoutATokenStore() {
    HttpResponse<String> response = client.get("/api/things", "elt_" + "A".repeat(43));
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("no token store");
  }
}
