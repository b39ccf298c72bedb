package io.edgeloop.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeloop.database.EmbeddedPostgresServer;
import io.edgeloop.security.token.ApiToken;
import io.edgeloop.security.token.ApiTokens;
import io.edgeloop.security.token.BootstrapToken;
import io.edgeloop.security.token.TokenSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

/**
 * The first admin token, as one-command mode hands it to every service: stored once, as admin, and
 * good on every service of the same token database; revoking it sticks.
 */
class BootstrapTokenIT extends TestAppSupport {
  @Autowired ApiTokens tokens;
  @TempDir Path dir;

  @Test
  void shouldStoreTheFilesTokenOnceAsAdminAndKeepItRevokedOnceRevoked() throws Exception {
    String token = TokenSecrets.newToken();
    Path file = Files.writeString(dir.resolve("admin.token"), token + "\n");
    BootstrapToken.ensure(file, tokens);
    ApiToken stored = tokens.authenticate(token);
    assertThat(stored.name()).isEqualTo(BootstrapToken.NAME);
    assertThat(stored.roles()).containsExactly(Role.ADMIN);
    assertThat(client.delete("/api/things/1", token).statusCode()).isEqualTo(204);

    BootstrapToken.ensure(file, tokens); // the next start
    long rows = tokens.list().stream().filter(t -> t.name().equals(BootstrapToken.NAME)).count();
    BootstrapToken.ensure(file, tokens);
    assertThat(tokens.list().stream().filter(t -> t.name().equals(BootstrapToken.NAME)).count()).isEqualTo(rows);

    tokens.revoke(stored.id());
    BootstrapToken.ensure(file, tokens);
    assertThat(client.get("/api/things", token).statusCode()).isEqualTo(401);
  }

  @Test
  void shouldMakeTheTokenGoodOnEveryServiceOfTheSameDatabase() throws Exception {
    String token = TokenSecrets.newToken();
    Path file = Files.writeString(dir.resolve("admin.token"), token);
    EmbeddedPostgresServer postgres = context.getBean(EmbeddedPostgresServer.class);
    String jdbc = postgres.jdbcUrl("postgres", null);
    // a second service on the same database, started with the file: it stores the token...
    try (ConfigurableApplicationContext other = new SpringApplicationBuilder(SecurityTestApp.class).run("--server.port=0",
        "--spring.datasource.url=" + jdbc, "--spring.datasource.username=" + postgres.username(),
        "--spring.datasource.password=" + postgres.password(),
        "--edgeloop.security.bootstrap-token-file=" + file)) {
      int otherPort = Integer.parseInt(other.getEnvironment().getProperty("local.server.port"));
      assertThat(new SecurityTestClient(otherPort).delete("/api/things/1", token).statusCode()).isEqualTo(204);
    }
    // ...and this one, which never read the file, accepts it too
    assertThat(client.delete("/api/things/1", token).statusCode()).isEqualTo(204);
  }

  @Test
  void shouldRefuseToStartOnAFileWithoutAToken() throws Exception {
    Path file = Files.writeString(dir.resolve("admin.token"), "hunter2");
    EmbeddedPostgresServer postgres = context.getBean(EmbeddedPostgresServer.class);
    String jdbc = postgres.jdbcUrl("postgres", null);
    assertThatThrownBy(() -> new SpringApplicationBuilder(SecurityTestApp.class).run("--server.port=0",
        "--spring.datasource.url=" + jdbc, "--spring.datasource.username=" + postgres.username(),
        "--spring.datasource.password=" + postgres.password(), "--edgeloop.security.bootstrap-token-file=" + file))
        .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e).getMessage())
            .contains("does not hold an edgeloop API token").doesNotContain("hunter2"));
  }
}
