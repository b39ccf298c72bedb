package io.edgeloop.security.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.HashMap;
import java.util.Map;
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
   * What the lookup found.
   *
   * @param handler the controller method; null when none matched
   * @param variables the URI template variables of the match ({@code {id}} and so on)
   * @param nearMiss a controller path matched but not its method, media type or parameters (the
   *     dispatcher answers 405/415/406/400 without running a handler)
   */
  record Match(HandlerMethod handler, Map<String, String> variables, boolean nearMiss) {
    static final Match NONE = new Match(null, Map.of(), false);
    static final Match NEAR_MISS = new Match(null, Map.of(), true);
  }

  /** The matching controller method, if any. */
  static Match find(RequestMappingHandlerMapping handlers, HttpServletRequest request) {
    AttributeOverlay overlay = new AttributeOverlay(request);
    try {
      ServletRequestPathUtils.parseAndCache(overlay);
      HandlerExecutionChain chain = handlers.getHandler(overlay);
      if (chain == null || !(chain.getHandler() instanceof HandlerMethod handler)) {
        return Match.NONE;
      }
      @SuppressWarnings("unchecked")
      Map<String, String> variables = (Map<String, String>) overlay.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
      return new Match(handler, variables == null ? Map.of() : Map.copyOf(variables), false);
    } catch (Exception e) {
      // No method, media type or parameter match: the dispatcher answers 405/415/406/400 itself.
      return Match.NEAR_MISS;
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
