package io.edgeloop.deploy.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeloop.imagetrust.ImageVerifier;
import io.edgeloop.imagetrust.SigningKeys;
import io.edgeloop.imagetrust.registry.RegistryClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signature check's decisions that need no registry content: no key configured, key files
 * that are missing or appear later, a registry that does not answer. (Signed, unsigned, foreign and
 * moved images against the real registry: {@link ImageSignatureIT}.)
 */
class ImageSignaturesTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private final ImageVerifier verifier = new ImageVerifier(new RegistryClient(List.of(), List.of(), Duration.ofSeconds(2)), List.of());

  @TempDir Path dir;

  @Test
  void shouldRejectEveryImageWithTheSettingToSetWhenNoKeyIsConfigured() {
    ImageSignatures check = new ImageSignatures(verifier, new TrustedKeys(List.of()));

    Admission admission = check.check(image("127.0.0.1:5000"));

    assertThat(admission.admitted()).isFalse();
    assertThat(admission.reason()).startsWith("no trusted signing key is configured: set edgeloop.deploy.trust.signing-keys");
  }

  @Test
  void shouldDecideNothingWhileAKeyFileIsMissingAndUseItOnceItAppears() throws Exception {
    Path key = dir.resolve("packaging").resolve("signing.pub");
    int closed = closedPort();
    ImageSignatures check = new ImageSignatures(verifier, new TrustedKeys(List.of(key)));

    assertThatThrownBy(() -> check.check(image("127.0.0.1:" + closed)))
        .isInstanceOf(AdmissionUnavailableException.class)
        .hasMessageContaining("trusted signing key file " + key + " does not exist (yet");

    // packaging starts and writes its pair: the next check reads it (and then asks the registry).
    SigningKeys.loadOrCreate(dir.resolve("packaging").resolve("signing.key"), key);
    assertThatThrownBy(() -> check.check(image("127.0.0.1:" + closed)))
        .isInstanceOf(AdmissionUnavailableException.class)
        .hasMessageStartingWith("registry unreachable: the signatures of 127.0.0.1:" + closed + "/edgeloop/m:1@" + DIGEST);
  }

  @Test
  void shouldNotUseAFileThatHoldsNoPublicKey() throws IOException {
    Path key = Files.writeString(dir.resolve("signing.pub"), "not a key");
    ImageSignatures check = new ImageSignatures(verifier, new TrustedKeys(List.of(key)));

    assertThatThrownBy(() -> check.check(image("127.0.0.1:" + closedPort())))
        .isInstanceOf(AdmissionUnavailableException.class)
        .hasMessageContaining("holds no PEM public key");
  }

  @Test
  void shouldPinTheAnnouncedReferenceByTheAnnouncedDigest() {
    assertThat(ImageSignatures.pinned(new ImageCandidate("m", 1, "r:5000/e/m:1", DIGEST))).isEqualTo("r:5000/e/m:1@" + DIGEST);
    assertThat(ImageSignatures.pinned(new ImageCandidate("m", 1, "r:5000/e/m:1@" + DIGEST, DIGEST)))
        .isEqualTo("r:5000/e/m:1@" + DIGEST);
  }

  private static ImageCandidate image(String registry) {
    return new ImageCandidate("m", 1, registry + "/edgeloop/m:1", DIGEST);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
