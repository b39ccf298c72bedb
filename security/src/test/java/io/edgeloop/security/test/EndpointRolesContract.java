package io.edgeloop.security.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.security.Role;
import io.edgeloop.security.test.EndpointWalk.Endpoint;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * What every service's API promises, checked by walking its controller methods: each names a role;
 * without a token each answers 401 ({@code WWW-Authenticate: Bearer}, problem body); with a token
 * one step too small 403; with the named role it is let through. A service's
 * {@code EndpointRolesTest} implements this against the running service.
 */
public interface EndpointRolesContract extends SecuredService {
  HttpClient HTTP = HttpClient.newHttpClient();

  private List<Endpoint> endpoints() {
    return EndpointWalk.endpoints(context().getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class));
  }

  @Test
  default void everyHandlerNamesItsRole() {
    List<Endpoint> endpoints = endpoints();
    assertThat(endpoints).as("controller methods found").isNotEmpty();
    assertThat(endpoints).filteredOn(e -> e.role().isEmpty()).as("handlers without @RequiresRole").isEmpty();
    assertThat(endpoints).filteredOn(e -> e.role().orElse(null) == Role.RUN && !e.pattern().contains("{id}"))
        .as("run-token handlers without the run id as {id}").isEmpty();
  }

  @Test
  default void everyEndpointAnswers401WithoutAToken() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Endpoint e : endpoints()) {
      HttpResponse<String> response = send(e, null);
      if (response.statusCode() != 401
          || !response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer")
          || !response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
        wrong.add(e + " -> " + response.statusCode() + " " + response.headers().firstValue("WWW-Authenticate").orElse(""));
      }
    }
    assertThat(wrong).as("endpoints that did not answer 401 + WWW-Authenticate: Bearer + problem body").isEmpty();
  }

  @Test
  default void aTokenOfTooSmallARoleGets403() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Endpoint e : endpoints()) {
      Role needed = e.role().orElseThrow();
      // viewer: a run token (it holds nothing else); run: an admin (no person may post in a run's name)
      String token = switch (needed) {
        case VIEWER -> TestTokens.run(context(), "walk");
        case RUN -> TestTokens.admin(context());
        default -> TestTokens.issue(context(), needed.below());
      };
      HttpResponse<String> response = send(e, token);
      if (response.statusCode() != 403) {
        wrong.add(e + " -> " + response.statusCode());
      }
    }
    assertThat(wrong).as("endpoints that did not answer 403 to a token of too small a role").isEmpty();
  }

  @Test
  default void theNamedRoleIsLetThrough() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Endpoint e : endpoints()) {
      Role needed = e.role().orElseThrow();
      // every variable of the walk's paths is "1": the run token of run "1"
      String token = needed == Role.RUN ? TestTokens.run(context(), "1") : TestTokens.issue(context(), needed);
      HttpResponse<String> response = send(e, token);
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        wrong.add(e + " -> " + response.statusCode() + " " + response.body());
      }
    }
    assertThat(wrong).as("endpoints that refused the role they name").isEmpty();
  }

  /** Sends {@code e} with a small body where it takes one. */
  private HttpResponse<String> send(Endpoint e, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(e.path())).header("Accept", e.accept());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (e.hasBody()) {
      request.header("Content-Type", e.contentType()).method(e.method(), HttpRequest.BodyPublishers.ofString("{}"));
    } else {
      request.method(e.method(), HttpRequest.BodyPublishers.noBody());
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
