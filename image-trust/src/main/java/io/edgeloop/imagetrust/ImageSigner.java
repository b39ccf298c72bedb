package io.edgeloop.imagetrust;

import io.edgeloop.imagetrust.registry.RegistryClient;
import io.edgeloop.imagetrust.registry.RegistryException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;

/**
 * Signs pushed images: a cosign simple-signing payload for the image's repository and digest,
 * signed with {@value SigningKeys#SIGNATURE_ALGORITHM}, stored beside the image as cosign stores it
 * ({@link CosignSignatures}). Idempotent: an image that already carries a signature of this key for
 * the same payload is left as it is, so a build that is redone does not pile up signatures.
 */
public final class ImageSigner {
  private final CosignSignatures signatures;
  private final KeyPair keys;

  public ImageSigner(RegistryClient registry, KeyPair keys) {
    this.signatures = new CosignSignatures(registry);
    this.keys = keys;
  }

  /**
   * Signs {@code imageReferenceWithDigest} ({@code registry/repository[:tag]@sha256:...}).
   *
   * @return the signed image, pinned by its digest
   * @throws RegistryException when the registry cannot be read or written ({@link RegistryException#isTransient()} says
   *     whether to try again)
   * @throws IllegalArgumentException when the reference has no digest
   */
  public ImageReference sign(String imageReferenceWithDigest) throws RegistryException, InterruptedException {
    ImageReference image = ImageReference.parse(imageReferenceWithDigest);
    ImageReference pinned = image.withDigest(image.optionalDigest()
        .orElseThrow(() -> new IllegalArgumentException(imageReferenceWithDigest + " is not pinned by a digest")));
    byte[] payload = SimpleSigningPayload.of(pinned).bytes();
    for (CosignSignatures.Entry entry : signatures.read(pinned)) {
      if (Arrays.equals(entry.payload(), payload) && Signatures.verifies(keys.getPublic(), payload, entry.signature())) {
        return pinned;
      }
    }
    signatures.add(pinned, payload, sign(payload));
    return pinned;
  }

  /** The public key that verifies this signer's signatures. */
  public java.security.PublicKey publicKey() {
    return keys.getPublic();
  }

  private String sign(byte[] payload) {
    try {
      Signature signature = Signature.getInstance(SigningKeys.SIGNATURE_ALGORITHM);
      signature.initSign(keys.getPrivate());
      signature.update(payload);
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with the configured key: " + e.getMessage(), e);
    }
  }
}
