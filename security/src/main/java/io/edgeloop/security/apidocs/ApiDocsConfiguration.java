package io.edgeloop.security.apidocs;

import io.edgeloop.security.Role;
import io.edgeloop.security.web.HandlerRoles;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every service's OpenAPI document (springdoc, at {@code /api/openapi}, UI at {@code /api/docs}):
 * titled after the service, with edgeloop's version, the bearer scheme, and for each operation the
 * role it needs (in its description and as {@code x-edgeloop-role}); {@code /} redirects to the UI.
 * Tags (one per resource) and summaries come from the controllers' {@code @Tag} and
 * {@code @Operation}.
 */
@AutoConfiguration
@ConditionalOnClass(OpenAPI.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ApiDocsConfiguration {
  static final String SCHEME = "bearer";

  @Bean
  OpenAPI edgeloopOpenApi(Environment environment) {
    String service = environment.getProperty("spring.application.name", "service");
    return new OpenAPI()
        .info(new Info().title("edgeloop " + service).version(version())
            .description("The REST API of edgeloop's " + service + ". Every operation needs a bearer token (an edgeloop API "
                + "token, or an access token of the site's identity provider) with the role named in its description."))
        .components(new Components().addSecuritySchemes(SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
            .description("edgeloop API token (elt_...) or an OIDC access token (JWT)")))
        .addSecurityItem(new SecurityRequirement().addList(SCHEME));
  }

  @Bean
  OperationCustomizer edgeloopRoleInDocs() {
    return (operation, handler) -> {
      String needs = HandlerRoles.of(handler)
          .map(role -> {
            operation.addExtension("x-edgeloop-role", role.wire());
            return role == Role.RUN ? "Needs the run's own token (EDGELOOP_RUN_TOKEN)." : "Needs role `" + role.wire() + "`.";
          })
          .orElse("Closed: names no role.");
      operation.setDescription(operation.getDescription() == null ? needs : operation.getDescription() + "\n\n" + needs);
      return operation;
    };
  }

  @Bean
  WebMvcConfigurer edgeloopRootToDocs(Environment environment) {
    String ui = environment.getProperty("springdoc.swagger-ui.path", "/api/docs");
    return new WebMvcConfigurer() {
      @Override
      public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", ui);
      }
    };
  }

  /** edgeloop's version, as built. */
  static String version() {
    try (InputStream in = ApiDocsConfiguration.class.getResourceAsStream("/io/edgeloop/security/edgeloop-version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
