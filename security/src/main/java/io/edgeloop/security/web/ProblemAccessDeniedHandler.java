package io.edgeloop.security.web;

import io.edgeloop.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;

/** 403 with {@code WWW-Authenticate: Bearer error="insufficient_scope"} and a problem body naming the role needed. */
final class ProblemAccessDeniedHandler implements AccessDeniedHandler {
  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
    // RFC 6750's answer for a valid token that may not do this, whatever kind of token it is.
    response.setHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
    Object needed = request.getAttribute(EndpointAuthorization.REQUIRED_ROLE);
    String detail;
    if (needed == Role.RUN) {
      detail = "only the run's own token (EDGELOOP_RUN_TOKEN, given to its script) may do this";
    } else if (needed instanceof Role role) {
      detail = "this endpoint needs role '" + role.wire() + "'; the token has " + held();
    } else if (EndpointAuthorization.NO_ROLE.equals(needed)) {
      detail = "this endpoint names no role, so it is closed to everyone";
    } else {
      detail = "access denied";
    }
    Problems.write(request, response, HttpStatus.FORBIDDEN, detail);
  }

  private static String held() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null) {
      return "no roles";
    }
    return authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
        .map(a -> a.startsWith("ROLE_") ? a.substring(5) : a).sorted().toList().toString();
  }
}
