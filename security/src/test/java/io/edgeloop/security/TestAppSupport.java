package io.edgeloop.security;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One running test app for the module's tests (a single Spring context, cached): a real embedded
 * PostgreSQL as token store, and the test identity provider trusted through its JWK set.
 */
@SpringBootTest(classes = SecurityTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false) // tests turn metrics export off otherwise: /actuator/prometheus is checked
abstract class TestAppSupport {
  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws Exception {
    Path dataDir = Files.createTempDirectory("security-it");
    registry.add("edgeloop.data-dir", dataDir::toString);
    registry.add("edgeloop.security.oidc.jwk-set-uri", () -> TestIdentityProvider.get().jwkSetUri());
  }

  @LocalServerPort protected int port;
  @Autowired protected ApplicationContext context;
  protected SecurityTestClient client;

  @BeforeEach
  void client() {
    client = new SecurityTestClient(port);
  }
}
