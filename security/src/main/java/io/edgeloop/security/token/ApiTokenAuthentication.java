package io.edgeloop.security.token;

import io.edgeloop.security.Role;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An authenticated edgeloop API token: its roles as authorities, its stored record as principal. */
public final class ApiTokenAuthentication extends AbstractAuthenticationToken {
  private final ApiToken token;

  public ApiTokenAuthentication(ApiToken token) {
    super(token.roles().stream().map(Role::authority).map(SimpleGrantedAuthority::new).toList());
    this.token = token;
    setAuthenticated(true);
  }

  /** Never the secret: it is not kept. */
  @Override
  public Object getCredentials() {
    return "";
  }

  @Override
  public ApiToken getPrincipal() {
    return token;
  }

  @Override
  public String getName() {
    return token.name();
  }
}
