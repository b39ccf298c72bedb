package io.edgeloop.security.web;

import io.edgeloop.security.Role;
import io.edgeloop.security.token.ApiTokenAuthentication;
import jakarta.servlet.http.HttpServletRequest;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Decides each request by the role its controller method names ({@code @RequiresRole}):
 * <ul>
 *   <li>a person's role, with the hierarchy viewer &lt; scientist &lt; operator &lt; admin;
 *   <li>{@code run}: only a run token whose run id equals the {@code {id}} path variable, whatever
 *       else the caller may hold, so nobody can post metrics in a run's name;
 *   <li>a controller method without a role: denied to everyone (secure by default);
 *   <li>anything that reaches no controller method (actuator endpoints other than the open ones,
 *       unknown paths): {@code viewer} to read (GET, HEAD), {@code admin} for anything else, so an
 *       actuator endpoint that changes state (loggers, shutdown) is an admin's even when exposed;
 *   <li>a controller path with the wrong method or media type: {@code viewer}, and the dispatcher
 *       answers 405/415 without running a handler.
 * </ul>
 * A refusal of an anonymous caller becomes 401, of an authenticated one 403; the role that was
 * needed is left in a request attribute for the 403 message.
 */
final class EndpointAuthorization implements AuthorizationManager<RequestAuthorizationContext> {
  /** Request attribute: the {@link Role} the request needed, or {@link #NO_ROLE}. */
  static final String REQUIRED_ROLE = EndpointAuthorization.class.getName() + ".role";
  static final String NO_ROLE = "none";
  private static final Logger log = LoggerFactory.getLogger(EndpointAuthorization.class);
  private static final AuthorizationDecision DENY = new AuthorizationDecision(false);
  private static final Set<String> READS = Set.of("GET", "HEAD");

  private final Supplier<RequestMappingHandlerMapping> handlers;
  private final Map<Role, AuthorityAuthorizationManager<RequestAuthorizationContext>> byRole = new EnumMap<>(Role.class);

  EndpointAuthorization(Supplier<RequestMappingHandlerMapping> handlers) {
    this.handlers = handlers;
    RoleHierarchy hierarchy = hierarchy();
    for (Role role : Role.PEOPLE) {
      AuthorityAuthorizationManager<RequestAuthorizationContext> manager = AuthorityAuthorizationManager.hasAuthority(role.authority());
      manager.setRoleHierarchy(hierarchy);
      byRole.put(role, manager);
    }
  }

  /** viewer &lt; scientist &lt; operator &lt; admin; {@code run} implies nothing and is implied by nothing. */
  static RoleHierarchy hierarchy() {
    return RoleHierarchyImpl.withDefaultRolePrefix()
        .role(Role.ADMIN.wire()).implies(Role.OPERATOR.wire())
        .role(Role.OPERATOR.wire()).implies(Role.SCIENTIST.wire())
        .role(Role.SCIENTIST.wire()).implies(Role.VIEWER.wire())
        .build();
  }

  @Override
  @SuppressWarnings("deprecation") // check() is still the method every AuthorizationManager implements in Spring Security 6
  public AuthorizationDecision check(Supplier<Authentication> authentication, RequestAuthorizationContext context) {
    HttpServletRequest request = context.getRequest();
    HandlerLookup.Match match = HandlerLookup.find(handlers.get(), request);
    Role role;
    if (match.handler() != null) {
      role = HandlerRoles.of(match.handler()).orElse(null);
    } else {
      role = match.nearMiss() || READS.contains(request.getMethod()) ? Role.VIEWER : Role.ADMIN;
    }
    if (role == null) {
      log.warn("{} {} reaches {}, which names no @RequiresRole: denied", request.getMethod(), request.getRequestURI(),
          match.handler().getShortLogMessage());
      request.setAttribute(REQUIRED_ROLE, NO_ROLE);
      return DENY;
    }
    request.setAttribute(REQUIRED_ROLE, role);
    if (role == Role.RUN) {
      String runId = match.variables().get("id");
      return new AuthorizationDecision(runId != null && authentication.get() instanceof ApiTokenAuthentication token
          && token.getPrincipal().roles().contains(Role.RUN) && runId.equals(token.getPrincipal().runId()));
    }
    return byRole.get(role).check(authentication, context);
  }
}
