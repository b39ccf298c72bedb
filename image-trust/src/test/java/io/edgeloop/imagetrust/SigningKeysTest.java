package io.edgeloop.imagetrust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
  void shouldGiveThreadsThatStartTogetherOnePair() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 20; round++) {
        Path key = dir.resolve(round + "/signing.key");
        Path pub = dir.resolve(round + "/signing.pub");
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<PublicKey>> made = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          made.add(pool.submit(() -> {
            start.await();
            return SigningKeys.loadOrCreate(key, pub).getPublic();
          }));
        }
        Set<PublicKey> keys = new HashSet<>();
        for (Future<PublicKey> f : made) {
          keys.add(f.get(30, TimeUnit.SECONDS));
        }
        assertThat(keys).as("round %d", round).containsExactly(SigningKeys.readPublicKey(pub));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Separate JVMs, as replicas on one volume are: the lock file, not the JVM's lock, keeps them apart. */
  @Test
  void shouldGiveProcessesThatStartTogetherOnePair() throws Exception {
    Path go = dir.resolve("go");
    Path key = dir.resolve("keys/signing.key");
    Path pub = dir.resolve("keys/signing.pub");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> racers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      racers.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SigningKeysRacer.class.getName(),
          go.toString(), key.toString(), pub.toString()).redirectErrorStream(true).start());
    }
    Thread.sleep(1_500); // every racer started and polling for the go file
    Files.createFile(go);
    Set<String> keyIds = new HashSet<>();
    for (Process racer : racers) {
      assertThat(racer.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String out = new String(racer.getInputStream().readAllBytes()).strip();
      assertThat(racer.exitValue()).as(out).isZero();
      keyIds.add(out);
    }
    assertThat(keyIds).containsExactly(SigningKeys.keyId(SigningKeys.readPublicKey(pub)));
  }

  /** Keys given as read-only secrets: a complete pair is read without touching the folder. */
  @Test
  void shouldReadACompletePairWithoutALockFile() throws Exception {
    Path key = dir.resolve("secrets/signing.key");
    Path pub = dir.resolve("secrets/signing.pub");
    KeyPair made = SigningKeys.loadOrCreate(key, pub);
    Files.delete(dir.resolve("secrets/signing.key.lock"));

    assertThat(SigningKeys.loadOrCreate(key, pub).getPublic()).isEqualTo(made.getPublic());
    assertThat(dir.resolve("secrets/signing.key.lock")).doesNotExist();
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
