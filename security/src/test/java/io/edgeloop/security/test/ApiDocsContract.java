package io.edgeloop.security.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.security.test.EndpointWalk.Endpoint;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * A service's OpenAPI document, fetched without a token as a new user would: a title naming the
 * service, edgeloop's version, the bearer scheme, and every operation with a summary, a resource tag
 * and its role; every controller method is in it; {@code /} points to the docs.
 */
public interface ApiDocsContract extends SecuredService {
  HttpClient DOCS_HTTP = HttpClient.newHttpClient();

  @Test
  default void theOpenApiDocumentDescribesEveryOperation() throws Exception {
    HttpResponse<String> response = DOCS_HTTP.send(HttpRequest.newBuilder(uri("/api/openapi")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode doc = new ObjectMapper().readTree(response.body());
    assertThat(doc.at("/info/title").asText()).startsWith("edgeloop ").doesNotContain("OpenAPI definition");
    assertThat(doc.at("/info/version").asText()).isNotBlank().isNotEqualTo("v0");
    assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
    List<String> problems = new ArrayList<>();
    List<String> documented = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        String name = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
        documented.add(name);
        JsonNode operation = op.getValue();
        if (operation.path("summary").asText().isBlank()) {
          problems.add(name + ": no summary");
        }
        if (operation.path("tags").isEmpty()) {
          problems.add(name + ": no tag");
        }
        operation.path("tags").forEach(t -> {
          if (t.asText().endsWith("-controller")) {
            problems.add(name + ": tag " + t.asText() + " is a class name, not a resource");
          }
        });
        if (operation.path("x-edgeloop-role").asText().isBlank()) {
          problems.add(name + ": no role");
        }
      }
    }
    assertThat(problems).isEmpty();
    List<String> missing = new ArrayList<>();
    for (Endpoint e : EndpointWalk.endpoints(context().getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class))) {
      String name = e.method() + " " + e.pattern().replaceAll("\\{([^}:]+):[^}]+}", "{$1}");
      if (!documented.contains(name) && !documented.contains(name.replace("/**", ""))) {
        missing.add(name);
      }
    }
    assertThat(missing).as("controller methods missing from the document " + documented).isEmpty();
  }

  @Test
  default void theRootPointsToTheDocs() throws Exception {
    HttpResponse<String> root = DOCS_HTTP.send(HttpRequest.newBuilder(uri("/")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("Location").orElse("")).endsWith("/api/docs");
    HttpResponse<String> ui = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
        .send(HttpRequest.newBuilder(uri("/")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ui.statusCode()).isEqualTo(200);
    assertThat(ui.body()).contains("swagger-ui");
  }
}
