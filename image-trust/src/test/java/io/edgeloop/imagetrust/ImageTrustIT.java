package io.edgeloop.imagetrust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.imagetrust.ImageRejectedException.Reason;
import io.edgeloop.imagetrust.registry.RegistryClient;
import io.edgeloop.imagetrust.registry.RegistryException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Signing and verification against the real local registry, with real images pushed to it. */
class ImageTrustIT {
  static final RegistryClient REGISTRY = RegistryClient.anonymous();
  static final KeyPair PACKAGING = SigningKeys.generate();
  static final KeyPair STRANGER = SigningKeys.generate();
  final ImageSigner signer = new ImageSigner(REGISTRY, PACKAGING);
  final ImageVerifier verifier = new ImageVerifier(REGISTRY, List.of());
  final List<PublicKey> trusted = List.of(PACKAGING.getPublic());

  @BeforeAll
  static void registry() {
    LocalRegistry.assumeRunning();
  }

  @Test
  void shouldVerifyAnImageItSignedStoredAsCosignStoresIt() throws Exception {
    String repository = LocalRegistry.repository("model");
    String image = LocalRegistry.pushImage(REGISTRY, repository, "1", "v1");
    String digest = ImageReference.parse(image).digest();

    signer.sign(image);
    VerifiedImage verified = verifier.verify(image, trusted);

    assertThat(verified.keyId()).isEqualTo(SigningKeys.keyId(PACKAGING.getPublic()));
    assertThat(verified.image().digest()).isEqualTo(digest);
    JsonNode sig = REGISTRY.manifest(LocalRegistry.REGISTRY, repository, "sha256-" + digest.substring(7) + ".sig")
        .orElseThrow().json();
    assertThat(sig.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(sig.path("layers")).hasSize(1);
    JsonNode layer = sig.path("layers").get(0);
    assertThat(layer.path("mediaType").asText()).isEqualTo("application/vnd.dev.cosign.simplesigning.v1+json");
    byte[] payload = REGISTRY.blob(LocalRegistry.REGISTRY, repository, layer.path("digest").asText(), 4096).orElseThrow();
    assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo("{\"critical\":{\"identity\":{\"docker-reference\":\""
        + LocalRegistry.REGISTRY + "/" + repository + "\"},\"image\":{\"docker-manifest-digest\":\"" + digest
        + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}");
    // The annotation is a plain SHA256withECDSA signature of those bytes, as cosign verify --key checks it.
    Signature check = Signature.getInstance("SHA256withECDSA");
    check.initVerify(PACKAGING.getPublic());
    check.update(payload);
    assertThat(check.verify(Base64.getDecoder().decode(layer.path("annotations").path("dev.cosignproject.cosign/signature").asText())))
        .isTrue();
  }

  @Test
  void shouldNotStackSignaturesWhenTheSameImageIsSignedAgain() throws Exception {
    String repository = LocalRegistry.repository("model");
    String image = LocalRegistry.pushImage(REGISTRY, repository, "1", "again");

    signer.sign(image);
    signer.sign(image);
    new ImageSigner(REGISTRY, STRANGER).sign(image);

    String digest = ImageReference.parse(image).digest();
    assertThat(new CosignSignatures(REGISTRY).read(ImageReference.parse(image))).hasSize(2);
    assertThat(verifier.verify(image, trusted).image().digest()).isEqualTo(digest);
    assertThat(verifier.verify(image, List.of(STRANGER.getPublic())).keyId()).isEqualTo(SigningKeys.keyId(STRANGER.getPublic()));
  }

  @Test
  void shouldRejectAnUnsignedImage() throws Exception {
    String image = LocalRegistry.pushImage(REGISTRY, LocalRegistry.repository("model"), "1", "unsigned");

    assertThatThrownBy(() -> verifier.verify(image, trusted))
        .isInstanceOfSatisfying(ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSIGNED))
        .hasMessageStartingWith("unsigned: no signature is stored for sha256:");
  }

  @Test
  void shouldRejectAnImageSignedByAnotherKey() throws Exception {
    String image = LocalRegistry.pushImage(REGISTRY, LocalRegistry.repository("model"), "1", "foreign");
    new ImageSigner(REGISTRY, STRANGER).sign(image);

    assertThatThrownBy(() -> verifier.verify(image, trusted))
        .isInstanceOfSatisfying(ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE))
        .hasMessageContaining("none verifies with the 1 trusted key(s)");
  }

  @Test
  void shouldRejectASignatureOfAnotherDigestCopiedBesideTheImage() throws Exception {
    String repository = LocalRegistry.repository("model");
    String signed = LocalRegistry.pushImage(REGISTRY, repository, "1", "the signed one");
    String backdoored = LocalRegistry.pushImage(REGISTRY, repository, "2", "the backdoored one");
    signer.sign(signed);
    // The attacker copies the genuine signature (payload + signature) to the other image's .sig tag.
    CosignSignatures store = new CosignSignatures(REGISTRY);
    CosignSignatures.Entry genuine = store.read(ImageReference.parse(signed)).get(0);
    store.add(ImageReference.parse(backdoored), genuine.payload(), genuine.signature());

    assertThatThrownBy(() -> verifier.verify(backdoored, trusted))
        .isInstanceOfSatisfying(ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DIGEST_MISMATCH))
        .hasMessageContaining("signed digest " + ImageReference.parse(signed).digest());
  }

  @Test
  void shouldRejectASignatureMadeForAnotherRepository() throws Exception {
    String original = LocalRegistry.pushImage(REGISTRY, LocalRegistry.repository("model"), "1", "same content");
    String copy = LocalRegistry.pushImage(REGISTRY, LocalRegistry.repository("other"), "1", "same content");
    assertThat(ImageReference.parse(copy).digest()).isEqualTo(ImageReference.parse(original).digest());
    signer.sign(original);
    CosignSignatures store = new CosignSignatures(REGISTRY);
    CosignSignatures.Entry genuine = store.read(ImageReference.parse(original)).get(0);
    store.add(ImageReference.parse(copy), genuine.payload(), genuine.signature());

    assertThatThrownBy(() -> verifier.verify(copy, trusted))
        .isInstanceOfSatisfying(ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REFERENCE_MISMATCH));
  }

  @Test
  void shouldRejectImagesNotPinnedOrFromAnUntrustedRegistryBeforeAskingTheRegistry() {
    ImageVerifier onlyEdgeloop = new ImageVerifier(REGISTRY, List.of("127.0.0.1:5000/edgeloop/"));

    assertThatThrownBy(() -> onlyEdgeloop.verify("127.0.0.1:5000/edgeloop/model:1", trusted))
        .isInstanceOfSatisfying(ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_PINNED));
    assertThatThrownBy(() -> onlyEdgeloop.verify("evil.example:5000/edgeloop/model@sha256:" + "a".repeat(64), trusted))
        .isInstanceOfSatisfying(ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_REGISTRY));
    assertThatThrownBy(() -> onlyEdgeloop.verify("127.0.0.1:5000/edgeloopx/model@sha256:" + "a".repeat(64), trusted))
        .isInstanceOfSatisfying(ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_REGISTRY));
  }

  @Test
  void shouldReportAnUnreachableRegistryAsTransientNotAsARejection() throws Exception {
    RegistryClient nowhere = new RegistryClient(List.of(), List.of(), Duration.ofSeconds(2));

    assertThatThrownBy(() -> new ImageVerifier(nowhere, List.of()).verify("127.0.0.1:1/edgeloop/model@sha256:" + "a".repeat(64), trusted))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.isTransient()).isTrue())
        .hasMessageContaining("registry unreachable (127.0.0.1:1)");
  }
}
