package io.edgeloop.security.jwt;

import io.edgeloop.security.Role;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The edgeloop roles of an OIDC access token, read from a configurable claim: a dotted path walks
 * nested objects ({@code realm_access.roles}); the value is a list or a space/comma-separated string.
 * With a prefix, only values carrying it count. Unknown names are ignored, and so is {@code run}:
 * that role comes only with a run token issued by training.
 */
public final class JwtRoles implements Converter<Jwt, Collection<GrantedAuthority>> {
  private final String[] path;
  private final String prefix;

  public JwtRoles(String claimPath, String prefix) {
    this.path = claimPath.split("\\.");
    this.prefix = prefix;
  }

  @Override
  public Collection<GrantedAuthority> convert(Jwt jwt) {
    List<GrantedAuthority> authorities = new ArrayList<>();
    for (String value : values(jwt.getClaims())) {
      if (!value.startsWith(prefix)) {
        continue;
      }
      String name = value.substring(prefix.length());
      Role.PEOPLE.stream().filter(r -> r.wire().equalsIgnoreCase(name))
          .forEach(r -> authorities.add(new SimpleGrantedAuthority(r.authority())));
    }
    return authorities;
  }

  private List<String> values(Map<String, Object> claims) {
    Object node = claims;
    for (String step : path) {
      if (!(node instanceof Map<?, ?> map)) {
        return List.of();
      }
      node = map.get(step);
    }
    if (node instanceof Collection<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    if (node instanceof String s) {
      return List.of(s.trim().split("[\\s,]+"));
    }
    return List.of();
  }
}
