package io.edgeloop.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.security.test.TestTokens;
import io.edgeloop.security.token.ApiToken;
import io.edgeloop.security.token.ApiTokens;
import io.edgeloop.security.token.IssuedToken;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** edgeloop API tokens against a real service on a real PostgreSQL: who gets in, who gets 401, who gets 403. */
class ApiTokenAuthenticationIT extends TestAppSupport {
  @Autowired ApiTokens tokens;

  @Test
  void shouldAnswer401WithABearerChallengeAndAProblemWithoutAToken() throws Exception {
    HttpResponse<String> response = client.get("/api/things", null);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    JsonNode problem = new ObjectMapper().readTree(response.body());
    assertThat(problem.get("status").asInt()).isEqualTo(401);
    assertThat(problem.get("detail").asText()).contains("bearer token");
    assertThat(client.post("/api/things", null, "{}").statusCode()).isEqualTo(401);
  }

  @Test
  void shouldLetAValidTokenIn() {
    assertThat(client.get("/api/things", TestTokens.issue(context, Role.VIEWER)).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldRefuseUnknownMalformedRevokedAndExpiredTokens() throws Exception {
    HttpResponse<String> unknown = client.get("/api/things", "elt_" + "A".repeat(43));
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
    assertThat(unknown.body()).contains("unknown token");
    assertThat(client.get("/api/things", "nonsense").statusCode()).isEqualTo(401);

    IssuedToken revoked = tokens.issue("revoked-one", Set.of(Role.ADMIN), null);
    assertThat(client.get("/api/things", revoked.token()).statusCode()).isEqualTo(200);
    assertThat(tokens.revoke(revoked.id())).isTrue();
    HttpResponse<String> afterRevoke = client.get("/api/things", revoked.token());
    assertThat(afterRevoke.statusCode()).isEqualTo(401);
    assertThat(afterRevoke.body()).contains("was revoked");

    IssuedToken expiring = tokens.issue("short-lived", Set.of(Role.ADMIN), Instant.now().plusMillis(1500));
    assertThat(client.get("/api/things", expiring.token()).statusCode()).isEqualTo(200);
    Thread.sleep(1600);
    HttpResponse<String> expired = client.get("/api/things", expiring.token());
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(expired.body()).contains("expired");
  }

  @Test
  void shouldApplyTheRoleHierarchyAndAnswer403ToTooSmallARole() throws Exception {
    String viewer = TestTokens.issue(context, Role.VIEWER);
    String scientist = TestTokens.issue(context, Role.SCIENTIST);
    String operator = TestTokens.issue(context, Role.OPERATOR);
    String admin = TestTokens.admin(context);

    HttpResponse<String> denied = client.post("/api/things", viewer, "{\"text\":\"x\"}");
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.headers().firstValue("WWW-Authenticate").orElse("")).contains("insufficient_scope");
    assertThat(new ObjectMapper().readTree(denied.body()).get("detail").asText())
        .isEqualTo("this endpoint needs role 'scientist'; the token has [viewer]");
    assertThat(client.post("/api/things", scientist, "{\"text\":\"x\"}").statusCode()).isEqualTo(200);
    assertThat(client.post("/api/things", operator, "{\"text\":\"x\"}").statusCode()).isEqualTo(200);
    assertThat(client.post("/api/things/7/approve", scientist, "").statusCode()).isEqualTo(403);
    assertThat(client.post("/api/things/7/approve", operator, "").statusCode()).isEqualTo(200);
    assertThat(client.delete("/api/things/7", operator).statusCode()).isEqualTo(403);
    assertThat(client.delete("/api/things/7", admin).statusCode()).isEqualTo(204);
    assertThat(client.get("/api/things", admin).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldTakeTheRoleFromTheClassUnlessTheMethodNamesOne() {
    String viewer = TestTokens.issue(context, Role.VIEWER);
    assertThat(client.get("/api/targets", viewer).statusCode()).isEqualTo(200);
    assertThat(client.post("/api/targets/edge-1/rollback", viewer, "").statusCode()).isEqualTo(403);
    assertThat(client.post("/api/targets/edge-1/rollback", TestTokens.issue(context, Role.OPERATOR), "").statusCode()).isEqualTo(200);
  }

  @Test
  void shouldDenyAHandlerThatNamesNoRoleToEveryone() {
    assertThat(client.get("/api/unmarked", null).statusCode()).isEqualTo(401);
    HttpResponse<String> admin = client.get("/api/unmarked", TestTokens.admin(context));
    assertThat(admin.statusCode()).isEqualTo(403);
    assertThat(admin.body()).contains("names no role").doesNotContain("should never be seen");
  }

  @Test
  void shouldAcceptMetricsOnlyFromTheRunsOwnToken() {
    String body = "{\"key\":\"loss\",\"value\":0.5}";
    assertThat(client.post("/api/runs/run-a/metrics", TestTokens.run(context, "run-a"), body).statusCode()).isEqualTo(204);
    HttpResponse<String> otherRun = client.post("/api/runs/run-b/metrics", TestTokens.run(context, "run-a"), body);
    assertThat(otherRun.statusCode()).isEqualTo(403);
    assertThat(otherRun.body()).contains("EDGELOOP_RUN_TOKEN");
    assertThat(client.post("/api/runs/run-a/metrics", TestTokens.admin(context), body).statusCode()).isEqualTo(403);
    assertThat(client.post("/api/runs/run-a/metrics", null, body).statusCode()).isEqualTo(401);
    // a run token is good for nothing else
    assertThat(client.get("/api/things", TestTokens.run(context, "run-a")).statusCode()).isEqualTo(403);
  }

  @Test
  void shouldRefuseARunTokenOnceItsRunsTokensAreRevoked() {
    IssuedToken run = tokens.issueRunToken("run-c", null);
    String body = "{\"key\":\"loss\",\"value\":0.5}";
    assertThat(client.post("/api/runs/run-c/metrics", run.token(), body).statusCode()).isEqualTo(204);
    assertThat(tokens.revokeRunTokens("run-c")).isEqualTo(1);
    assertThat(client.post("/api/runs/run-c/metrics", run.token(), body).statusCode()).isEqualTo(401);
    assertThat(tokens.runTokens("run-c")).extracting(ApiToken::revokedAt).doesNotContainNull();
  }

  @Test
  void shouldLeaveHealthPrometheusDocsAndTheRootOpenAndCloseEverythingElse() {
    assertThat(client.get("/actuator/health", null).statusCode()).isEqualTo(200);
    assertThat(client.get("/actuator/health/liveness", null).statusCode()).isIn(200, 404);
    assertThat(client.get("/actuator/prometheus", null).statusCode()).isEqualTo(200);
    assertThat(client.get("/api/openapi", null).statusCode()).isEqualTo(200);
    assertThat(client.get("/", null).statusCode()).isEqualTo(302);
    assertThat(client.get("/actuator/info", null).statusCode()).isEqualTo(401);
    assertThat(client.get("/actuator/info", TestTokens.issue(context, Role.VIEWER)).statusCode()).isEqualTo(200);
    assertThat(client.get("/api/nothing-here", null).statusCode()).isEqualTo(401);
    assertThat(client.get("/api/nothing-here", TestTokens.issue(context, Role.VIEWER)).statusCode()).isEqualTo(404);
    // what reaches no controller and is not a read is an admin's (an exposed actuator endpoint that changes state)
    assertThat(client.post("/api/nothing-here", TestTokens.issue(context, Role.OPERATOR), "{}").statusCode()).isEqualTo(403);
    assertThat(client.post("/api/nothing-here", TestTokens.admin(context), "{}").statusCode()).isEqualTo(404);
    // a controller path with the wrong method or media type: refused by the dispatcher, no handler runs
    assertThat(client.delete("/api/things", TestTokens.issue(context, Role.VIEWER)).statusCode()).isEqualTo(405);
  }

  @Test
  void shouldStoreOnlyTheHashOfEachToken() {
    IssuedToken issued = tokens.issue("hash-check", Set.of(Role.VIEWER), null);
    JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
    String stored = jdbc.queryForObject("select token_sha256 from edgeloop_auth.api_token where id = ?", String.class, issued.id());
    assertThat(stored).matches("[0-9a-f]{64}").isEqualTo(io.edgeloop.security.token.TokenSecrets.sha256(issued.token()));
    assertThat(jdbc.queryForList("select * from edgeloop_auth.api_token where id = ?", issued.id()).toString())
        .doesNotContain(issued.token());
    assertThat(issued.token()).matches("elt_[A-Za-z0-9_-]{43}");
    assertThat(issued.toString()).doesNotContain(issued.token());
  }
}
