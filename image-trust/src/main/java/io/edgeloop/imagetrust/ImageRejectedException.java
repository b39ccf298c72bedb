package io.edgeloop.imagetrust;

import java.util.Locale;

/**
 * An image that must not run: it is not signed by a trusted key for the digest and repository
 * asked for, or it comes from a registry that is not trusted. Permanent: asking again gives the same
 * answer until someone signs the image. (A registry that cannot be reached is a
 * {@link io.edgeloop.imagetrust.registry.RegistryException} instead: try again later.)
 */
public class ImageRejectedException extends Exception {

  /** Why an image was refused; {@link #code()} is the stable lower-case form for events and logs. */
  public enum Reason {
    /** The reference has no {@code @sha256:} digest: only an exact image can be verified. */
    NOT_PINNED,
    /** The registry or repository is not one the caller trusts. */
    UNTRUSTED_REGISTRY,
    /** No signature is stored for the digest. */
    UNSIGNED,
    /** Signatures are stored, but none verifies with a trusted key. */
    BAD_SIGNATURE,
    /** A trusted key signed a payload that names another digest (a signature copied to another image). */
    DIGEST_MISMATCH,
    /** A trusted key signed this digest for another repository. */
    REFERENCE_MISMATCH;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Reason reason;
  private final String image;

  public ImageRejectedException(Reason reason, String image, String message) {
    super(reason.code() + ": " + message);
    this.reason = reason;
    this.image = image;
  }

  public Reason reason() {
    return reason;
  }

  /** The reference that was refused. */
  public String image() {
    return image;
  }
}
