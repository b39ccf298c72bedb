package io.edgeloop.security.web;

import io.edgeloop.security.token.TokenSecrets;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Sends a bearer token to the right checker by its shape: a JWT (three dot-separated parts) to the
 * identity provider's decoder, anything else to the edgeloop token store. Either may be absent
 * (no identity provider, no token store), and then that kind of token is refused with a reason.
 */
final class BearerTokenAuthenticationManager implements AuthenticationManager {
  private final AuthenticationProvider apiTokens;
  private final AuthenticationProvider jwts;

  /** @param apiTokens null without a token store; @param jwts null without an identity provider */
  BearerTokenAuthenticationManager(AuthenticationProvider apiTokens, AuthenticationProvider jwts) {
    this.apiTokens = apiTokens;
    this.jwts = jwts;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String token = ((BearerTokenAuthenticationToken) authentication).getToken();
    if (TokenSecrets.isJwt(token)) {
      if (jwts == null) {
        throw new InvalidBearerTokenException("a JWT was sent, but this service trusts no identity provider "
            + "(edgeloop.security.oidc.issuer-uri / jwk-set-uri)");
      }
      return jwts.authenticate(authentication);
    }
    if (apiTokens == null) {
      throw new InvalidBearerTokenException("edgeloop API tokens are not accepted here: this service has no token store");
    }
    return apiTokens.authenticate(authentication);
  }
}
