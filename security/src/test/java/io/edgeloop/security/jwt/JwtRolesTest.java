package io.edgeloop.security.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

class JwtRolesTest {
  private static Jwt jwt(Map<String, Object> claims) {
    Jwt.Builder b = Jwt.withTokenValue("t").header("alg", "RS256").issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60));
    claims.forEach(b::claim);
    return b.build();
  }

  private static List<String> roles(JwtRoles converter, Map<String, Object> claims) {
    return converter.convert(jwt(claims)).stream().map(GrantedAuthority::getAuthority).sorted().toList();
  }

  @Test
  void shouldReadAListClaim() {
    assertThat(roles(new JwtRoles("roles", ""), Map.of("roles", List.of("viewer", "operator")))).containsExactly("ROLE_operator", "ROLE_viewer");
  }

  @Test
  void shouldReadASpaceOrCommaSeparatedClaim() {
    assertThat(roles(new JwtRoles("groups", ""), Map.of("groups", "viewer, admin"))).containsExactly("ROLE_admin", "ROLE_viewer");
  }

  @Test
  void shouldWalkADottedPathAndKeepOnlyPrefixedNames() {
    JwtRoles keycloak = new JwtRoles("realm_access.roles", "edgeloop-");
    Map<String, Object> claims = Map.of("realm_access", Map.of("roles", List.of("edgeloop-scientist", "admin", "offline_access")));
    assertThat(roles(keycloak, claims)).containsExactly("ROLE_scientist");
  }

  @Test
  void shouldIgnoreMissingClaimsUnknownNamesAndTheRunRole() {
    assertThat(roles(new JwtRoles("realm_access.roles", ""), Map.of("realm_access", "not an object"))).isEmpty();
    assertThat(roles(new JwtRoles("roles", ""), Map.of("sub", "alice"))).isEmpty();
    assertThat(roles(new JwtRoles("roles", ""), Map.of("roles", List.of("run", "root", "Operator")))).containsExactly("ROLE_operator");
  }
}
