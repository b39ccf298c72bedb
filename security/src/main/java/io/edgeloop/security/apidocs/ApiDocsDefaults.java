package io.edgeloop.security.apidocs;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The same documentation paths in every service, below everything a service or operator sets:
 * {@code /api/openapi} (the document) and {@code /api/docs} (Swagger UI).
 */
public class ApiDocsDefaults implements EnvironmentPostProcessor {
  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    environment.getPropertySources().addLast(new MapPropertySource("edgeloopApiDocsDefaults",
        Map.of("springdoc.api-docs.path", "/api/openapi", "springdoc.swagger-ui.path", "/api/docs")));
  }
}
