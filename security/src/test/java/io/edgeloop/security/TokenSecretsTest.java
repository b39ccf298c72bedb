package io.edgeloop.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.security.token.TokenSecrets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenSecretsTest {
  @Test
  void shouldMakeDistinctTokensOfTheAgreedShape() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String token = TokenSecrets.newToken();
      assertThat(token).matches("elt_[A-Za-z0-9_-]{43}");
      assertThat(TokenSecrets.isApiToken(token)).isTrue();
      assertThat(TokenSecrets.isJwt(token)).isFalse();
      seen.add(token);
    }
    assertThat(seen).hasSize(1000);
  }

  @Test
  void shouldTellJwtsAndOtherStringsApart() {
    assertThat(TokenSecrets.isJwt("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln")).isTrue();
    assertThat(TokenSecrets.isApiToken("elt_short")).isFalse();
    assertThat(TokenSecrets.isApiToken("xyz_" + "a".repeat(43))).isFalse();
    assertThat(TokenSecrets.isApiToken(null)).isFalse();
  }

  @Test
  void shouldHashWithSha256Hex() {
    // sha256("abc"), FIPS 180-2 test vector
    assertThat(TokenSecrets.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
