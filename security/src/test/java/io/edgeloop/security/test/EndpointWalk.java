package io.edgeloop.security.test;

import io.edgeloop.security.Role;
import io.edgeloop.security.web.HandlerRoles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every edgeloop controller method of a running service, as the dispatcher knows them
 * ({@code RequestMappingHandlerMapping.getHandlerMethods()}), each with a concrete path to call:
 * tests that walk this list cover an endpoint added tomorrow without being told.
 */
public final class EndpointWalk {
  private EndpointWalk() {}

  /**
   * One method + path of a handler.
   *
   * @param path the pattern with every variable replaced by {@code 1} (and {@code **} by {@code x})
   * @param role empty when the handler names none
   * @param contentType what its body is sent as (its first {@code consumes}, else JSON)
   * @param accept what it produces (its first {@code produces}, else any)
   */
  public record Endpoint(String method, String pattern, String path, Optional<Role> role, String contentType, String accept,
      HandlerMethod handler) {
    public boolean hasBody() {
      return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    @Override
    public String toString() {
      return method + " " + pattern + " (" + handler.getShortLogMessage() + ")";
    }
  }

  public static List<Endpoint> endpoints(RequestMappingHandlerMapping mapping) {
    List<Endpoint> out = new ArrayList<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mapping.getHandlerMethods().entrySet()) {
      HandlerMethod handler = e.getValue();
      if (!handler.getBeanType().getName().startsWith("io.edgeloop.")) {
        continue; // the framework's own (springdoc's document, Boot's /error): opened or closed by path
      }
      RequestMappingInfo info = e.getKey();
      Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
      String contentType = info.getConsumesCondition().getConsumableMediaTypes().stream().findFirst()
          .map(MediaType::toString).orElse(MediaType.APPLICATION_JSON_VALUE);
      String accept = info.getProducesCondition().getProducibleMediaTypes().stream().findFirst()
          .map(MediaType::toString).orElse("*/*");
      for (String pattern : info.getPatternValues()) {
        for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
          out.add(new Endpoint(method.name(), pattern, concrete(pattern), HandlerRoles.of(handler), contentType, accept, handler));
        }
      }
    }
    return out;
  }

  static String concrete(String pattern) {
    return pattern.replaceAll("\\{\\*[^}]+}", "x").replaceAll("\\{[^}]+}", "1").replace("/**", "/x");
  }
}
