package io.edgeloop.security.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/** 401 with {@code WWW-Authenticate: Bearer ...} (RFC 6750) and a problem body saying what was wrong. */
final class ProblemEntryPoint implements AuthenticationEntryPoint {
  private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();

  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) throws IOException {
    bearer.commence(request, response, e);
    String detail = e instanceof OAuth2AuthenticationException o && o.getError().getDescription() != null
        ? "bearer token refused: " + o.getError().getDescription()
        : "this endpoint needs a bearer token: Authorization: Bearer <edgeloop API token or OIDC access token>";
    Problems.write(request, response, HttpStatus.UNAUTHORIZED, detail);
  }
}
