package io.edgeloop.imagetrust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
  @TempDir Path dir;

  @Test
  void shouldCreateAPairOnceWithAPrivateKeyOnlyTheOwnerCanRead() throws Exception {
    Path key = dir.resolve("packaging/signing.key");
    Path pub = dir.resolve("packaging/signing.pub");

    KeyPair created = SigningKeys.loadOrCreate(key, pub);
    KeyPair loaded = SigningKeys.loadOrCreate(key, pub);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----\n");
    assertThat(loaded.getPublic()).isEqualTo(created.getPublic());
    assertThat(loaded.getPrivate()).isEqualTo(created.getPrivate());
    assertThat(SigningKeys.keyId(loaded.getPublic())).hasSize(16).isEqualTo(SigningKeys.keyId(created.getPublic()));
  }

  @Test
  void shouldRefuseHalfAPairOrTwoHalvesThatDoNotMatch() throws Exception {
    Path key = dir.resolve("signing.key");
    Path pub = dir.resolve("signing.pub");
    SigningKeys.writePrivateKey(SigningKeys.generate().getPrivate(), key);

    assertThatThrownBy(() -> SigningKeys.loadOrCreate(key, pub)).hasMessageContaining("give both halves");

    Files.writeString(pub, SigningKeys.publicKeyPem(SigningKeys.generate().getPublic()));
    assertThatThrownBy(() -> SigningKeys.loadOrCreate(key, pub)).hasMessageContaining("is not the public key of");
  }

  @Test
  void shouldSayHowToConvertAKeyInAnotherFormat() throws Exception {
    Path sec1 = dir.resolve("ec.key");
    Files.writeString(sec1, "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA==\n-----END EC PRIVATE KEY-----\n");

    assertThatThrownBy(() -> SigningKeys.readPrivateKey(sec1)).hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void shouldReadEveryPublicKeyOfATrustFile() throws Exception {
    Path trust = dir.resolve("trusted.pub");
    KeyPair a = SigningKeys.generate();
    KeyPair b = SigningKeys.generate();
    Files.writeString(trust, "# old and new key\n" + SigningKeys.publicKeyPem(a.getPublic()) + SigningKeys.publicKeyPem(b.getPublic()));

    assertThat(SigningKeys.readPublicKeys(trust)).containsExactly(a.getPublic(), b.getPublic());
    Files.writeString(trust, "nothing here");
    assertThatThrownBy(() -> SigningKeys.readPublicKeys(trust)).hasMessageContaining("holds no PEM public key");
  }
}
