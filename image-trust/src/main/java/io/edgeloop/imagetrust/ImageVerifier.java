package io.edgeloop.imagetrust;

import io.edgeloop.imagetrust.ImageRejectedException.Reason;
import io.edgeloop.imagetrust.registry.RegistryClient;
import io.edgeloop.imagetrust.registry.RegistryException;
import java.security.PublicKey;
import java.util.Collection;
import java.util.List;

/**
 * Decides whether an image may run: it must be pinned by digest, come from a trusted repository (when
 * the verifier is given a list), and carry a cosign signature, stored beside it in the registry, that
 * verifies with one of the trusted public keys and whose payload names exactly that digest and that
 * repository.
 *
 * <pre>{@code
 * ImageVerifier verifier = new ImageVerifier(RegistryClient.anonymous(), List.of("127.0.0.1:5000/edgeloop/"));
 * List<PublicKey> trusted = SigningKeys.readPublicKeys(Path.of("/etc/edgeloop/packaging.pub"));
 * try {
 *   VerifiedImage ok = verifier.verify(imagePushed.imageReference() + "@" + imagePushed.digest(), trusted);
 * } catch (ImageRejectedException e) {   // permanent: e.reason().code() = unsigned, bad_signature, ...
 * } catch (RegistryException e) {        // e.isTransient(): registry unreachable, try again later
 * }
 * }</pre>
 */
public final class ImageVerifier {
  private final CosignSignatures signatures;
  private final List<String> trustedRepositories;

  /**
   * @param trustedRepositories prefixes of {@code registry/repository} that images may come from
   *     (e.g. {@code 127.0.0.1:5000/edgeloop/}); empty = any registry (the signature still decides)
   */
  public ImageVerifier(RegistryClient registry, List<String> trustedRepositories) {
    this.signatures = new CosignSignatures(registry);
    this.trustedRepositories = List.copyOf(trustedRepositories);
  }

  /**
   * Verifies {@code imageReferenceWithDigest} ({@code registry/repository[:tag]@sha256:...}) against
   * {@code trustedPublicKeys}.
   *
   * @throws ImageRejectedException when the image must not run; its {@link ImageRejectedException#reason()} says why
   * @throws RegistryException when the signatures cannot be read (transient: try again; or access refused)
   * @throws IllegalArgumentException when no trusted key is given
   */
  public VerifiedImage verify(String imageReferenceWithDigest, Collection<PublicKey> trustedPublicKeys)
      throws ImageRejectedException, RegistryException, InterruptedException {
    if (trustedPublicKeys == null || trustedPublicKeys.isEmpty()) {
      throw new IllegalArgumentException("no trusted public key to verify " + imageReferenceWithDigest + " with");
    }
    ImageReference image;
    try {
      image = ImageReference.parse(imageReferenceWithDigest);
    } catch (IllegalArgumentException e) {
      throw new ImageRejectedException(Reason.NOT_PINNED, imageReferenceWithDigest, e.getMessage());
    }
    if (image.digest() == null) {
      throw new ImageRejectedException(Reason.NOT_PINNED, imageReferenceWithDigest,
          "the reference has no @sha256: digest; only an exact image can be verified");
    }
    String repository = image.repositoryReference();
    if (!trustedRepositories.isEmpty() && trustedRepositories.stream().noneMatch(p -> matches(repository, p))) {
      throw new ImageRejectedException(Reason.UNTRUSTED_REGISTRY, imageReferenceWithDigest,
          repository + " is not under a trusted repository " + trustedRepositories);
    }
    ImageReference pinned = image.withDigest(image.digest());
    List<CosignSignatures.Entry> entries = signatures.read(pinned);
    if (entries.isEmpty()) {
      throw new ImageRejectedException(Reason.UNSIGNED, imageReferenceWithDigest,
          "no signature is stored for " + image.digest() + " (tag " + CosignSignatures.tag(image.digest()) + ")");
    }
    ImageRejectedException closest = null;
    for (CosignSignatures.Entry entry : entries) {
      for (PublicKey key : trustedPublicKeys) {
        if (!Signatures.verifies(key, entry.payload(), entry.signature())) {
          continue;
        }
        SimpleSigningPayload payload;
        try {
          payload = SimpleSigningPayload.parse(entry.payload());
        } catch (IllegalArgumentException e) {
          continue; // a trusted key's signature over something that is not an image signature
        }
        if (!payload.manifestDigest().equals(image.digest())) {
          closest = new ImageRejectedException(Reason.DIGEST_MISMATCH, imageReferenceWithDigest, "key "
              + SigningKeys.keyId(key) + " signed digest " + payload.manifestDigest() + ", not " + image.digest());
        } else if (!payload.dockerReference().equals(repository)) {
          closest = closest != null ? closest : new ImageRejectedException(Reason.REFERENCE_MISMATCH,
              imageReferenceWithDigest, "key " + SigningKeys.keyId(key) + " signed this digest for "
                  + payload.dockerReference() + ", not " + repository);
        } else {
          return new VerifiedImage(pinned, SigningKeys.keyId(key));
        }
      }
    }
    throw closest != null ? closest : new ImageRejectedException(Reason.BAD_SIGNATURE, imageReferenceWithDigest,
        entries.size() + " signature(s) stored for " + image.digest() + ", none verifies with the "
            + trustedPublicKeys.size() + " trusted key(s)");
  }

  private static boolean matches(String repository, String prefix) {
    return prefix.endsWith("/") ? repository.startsWith(prefix) : repository.equals(prefix) || repository.startsWith(prefix + "/");
  }
}
