package io.edgeloop.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.security.test.TestTokens;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OIDC access tokens checked against the provider's JWK set ({@code jwk-set-uri}), beside edgeloop API
 * tokens on the same service; roles from the default {@code roles} claim.
 */
class JwkSetJwtIT extends TestAppSupport {
  final TestIdentityProvider idp = TestIdentityProvider.get();

  @Test
  void shouldAcceptAValidJwtWithItsRolesBesideApiTokens() {
    String operator = idp.token(c -> c.claim("roles", List.of("operator")));
    assertThat(client.post("/api/things/7/approve", operator, "").statusCode()).isEqualTo(200);
    assertThat(client.post("/api/things", operator, "{\"text\":\"x\"}").statusCode()).isEqualTo(200);
    assertThat(client.delete("/api/things/7", operator).statusCode()).isEqualTo(403);
    assertThat(client.get("/api/things", TestTokens.issue(context, Role.VIEWER)).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldReadRolesFromASpaceSeparatedClaim() {
    String token = idp.token(c -> c.claim("roles", "viewer admin"));
    assertThat(client.delete("/api/things/7", token).statusCode()).isEqualTo(204);
  }

  @Test
  void shouldRefuseAnExpiredJwt() {
    String expired = idp.token(c -> c.claim("roles", List.of("admin"))
        .issueTime(Date.from(Instant.now().minusSeconds(900))).expirationTime(Date.from(Instant.now().minusSeconds(300))));
    HttpResponse<String> response = client.get("/api/things", expired);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
    assertThat(response.body()).contains("expired");
  }

  @Test
  void shouldRefuseAJwtSignedByAKeyTheProviderDoesNotPublish() {
    String forged = idp.forgedToken(c -> c.claim("roles", List.of("admin")));
    assertThat(client.get("/api/things", forged).statusCode()).isEqualTo(401);
  }

  @Test
  void shouldGiveNoRoleForUnknownNamesNorTheRunRole() {
    String token = idp.token(c -> c.claim("roles", List.of("superuser", "run")));
    assertThat(client.get("/api/things", token).statusCode()).isEqualTo(403);
    assertThat(client.post("/api/runs/1/metrics", token, "{\"key\":\"k\",\"value\":1}").statusCode()).isEqualTo(403);
  }
}
