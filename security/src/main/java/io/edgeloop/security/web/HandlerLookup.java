package io.edgeloop.security.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Finds the controller method a request will reach, before the dispatcher runs, so that the
 * decision rests on the handler's own annotation rather than on a second list of paths. Whatever
 * the mapping writes into request attributes during the lookup stays in an overlay, so the
 * dispatcher's own lookup later starts clean.
 */
final class HandlerLookup {
  private HandlerLookup() {}

  /**
   * @param variables the URI template variables of the match ({@code {id}} and so on)
   */
  record Match(HandlerMethod handler, Map<String, String> variables) {}

  /** The matching controller method; empty when none matches (other handlers, 404, 405, 415, 406). */
  static Optional<Match> find(RequestMappingHandlerMapping handlers, HttpServletRequest request) {
    AttributeOverlay overlay = new AttributeOverlay(request);
    try {
      ServletRequestPathUtils.parseAndCache(overlay);
      HandlerExecutionChain chain = handlers.getHandler(overlay);
      if (chain == null || !(chain.getHandler() instanceof HandlerMethod handler)) {
        return Optional.empty();
      }
      @SuppressWarnings("unchecked")
      Map<String, String> variables = (Map<String, String>) overlay.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
      return Optional.of(new Match(handler, variables == null ? Map.of() : Map.copyOf(variables)));
    } catch (Exception e) {
      // No method, media type or parameter match: the dispatcher answers 405/415/406/400 itself.
      return Optional.empty();
    }
  }

  /** Request attributes written here stay here; reads fall through to the real request. */
  private static final class AttributeOverlay extends HttpServletRequestWrapper {
    private final Map<String, Object> local = new HashMap<>();

    AttributeOverlay(HttpServletRequest request) {
      super(request);
    }

    @Override
    public Object getAttribute(String name) {
      return local.containsKey(name) ? local.get(name) : super.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
      local.put(name, value);
    }

    @Override
    public void removeAttribute(String name) {
      local.put(name, null);
    }
  }
}
