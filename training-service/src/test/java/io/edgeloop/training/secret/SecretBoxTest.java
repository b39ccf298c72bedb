package io.edgeloop.training.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
  @TempDir Path dir;

  @Test
  void shouldCreateAPrivateKeyFileOnceAndOpenWhatItSealed() throws Exception {
    Path file = dir.resolve("training/secret.key");
    SecretBox first = SecretBox.fromFile(file);
    String key = Files.readString(file);
    SecretBox second = SecretBox.fromFile(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file)).isEqualTo(key);
    byte[] sealed = first.seal("pa55-wörd", "run-1/DB_PASSWORD");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("pa55");
    assertThat(second.open(sealed, "run-1/DB_PASSWORD")).isEqualTo("pa55-wörd");
    assertThat(first.seal("pa55-wörd", "run-1/DB_PASSWORD")).as("a fresh nonce each time").isNotEqualTo(sealed);
  }

  @Test
  void shouldNotOpenForAnotherRunNorWithAnotherKeyNorWhenChanged() throws Exception {
    SecretBox box = SecretBox.fromFile(dir.resolve("a.key"));
    byte[] sealed = box.seal("value", "run-1/A");

    assertThatThrownBy(() -> box.open(sealed, "run-2/A")).isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> SecretBox.fromFile(dir.resolve("b.key")).open(sealed, "run-1/A")).isInstanceOf(GeneralSecurityException.class);
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> box.open(sealed, "run-1/A")).isInstanceOf(GeneralSecurityException.class);
  }
}
