package io.edgeloop.training.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskTest {
  @Test
  void shouldMaskEveryOccurrenceLongestFirst() {
    SecretMask mask = new SecretMask(List.of("hunter2", "hunter2-admin"));

    assertThat(mask.mask("login hunter2-admin then hunter2, hunter2")).isEqualTo("login *** then ***, ***");
  }

  @Test
  void shouldMaskEachLineOfAMultiLineSecret() {
    SecretMask mask = new SecretMask(List.of("-----BEGIN KEY-----\nAAAAsecretbody\n-----END KEY-----"));

    assertThat(mask.mask("line: AAAAsecretbody")).isEqualTo("line: ***");
  }

  @Test
  void shouldLeaveTextWithoutSecretsAlone() {
    assertThat(new SecretMask(List.of()).mask("nothing here")).isEqualTo("nothing here");
    assertThat(new SecretMask(List.of("")).isEmpty()).isTrue();
  }
}
