package io.edgeloop.security.token;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/** Authenticates a bearer token against the edgeloop token store. */
public final class ApiTokenAuthenticationProvider implements AuthenticationProvider {
  private final ApiTokens tokens;

  public ApiTokenAuthenticationProvider(ApiTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String token = ((BearerTokenAuthenticationToken) authentication).getToken();
    try {
      return new ApiTokenAuthentication(tokens.authenticate(token));
    } catch (ApiTokens.RefusedTokenException e) {
      throw new InvalidBearerTokenException(e.getMessage());
    }
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
