package io.edgeloop.deploy.trust;

import io.edgeloop.imagetrust.ImageRejectedException;
import io.edgeloop.imagetrust.ImageVerifier;
import io.edgeloop.imagetrust.VerifiedImage;
import io.edgeloop.imagetrust.registry.RegistryException;
import java.security.PublicKey;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signature verification, the admission check after the allow-list: an image runs only when its
 * registry holds a cosign signature of its digest (and repository) by one of the trusted keys
 * ({@code edgeloop.deploy.trust.signing-keys}), the signature packaging-service stores beside every
 * image it pushes. Only the signature manifest and its payloads are read, never the image: nothing
 * is pulled before the verdict.
 *
 * <p>Verdicts: a missing signature ({@code unsigned}), signatures by other keys only
 * ({@code bad_signature}), a trusted key's signature of another digest ({@code digest_mismatch}: a
 * signature copied beside another image) or another repository ({@code reference_mismatch}) reject
 * the image for good. A registry that does not answer, and a key file that is not there, decide
 * nothing: {@link AdmissionUnavailableException}, and the event is retried.
 */
public class ImageSignatures implements AdmissionCheck {
  static final String NO_KEY = "no trusted signing key is configured: set edgeloop.deploy.trust.signing-keys to the"
      + " packaging service's public key file (<data-dir>/packaging/signing.pub; also served at GET"
      + " /api/images/signing-key), or edgeloop.deploy.trust.require-signatures=false to run unsigned images";
  private static final Logger log = LoggerFactory.getLogger(ImageSignatures.class);
  private final ImageVerifier verifier;
  private final TrustedKeys keys;

  ImageSignatures(ImageVerifier verifier, TrustedKeys keys) {
    this.verifier = verifier;
    this.keys = keys;
  }

  @Override
  public Admission check(ImageCandidate image) {
    if (!keys.configured()) {
      return Admission.rejected(NO_KEY);
    }
    List<PublicKey> trusted = keys.current();
    String reference = pinned(image);
    try {
      VerifiedImage verified = verifier.verify(reference, trusted);
      log.info("{} v{}: signature of {} verified (key {})", image.modelName(), image.modelVersion(), reference,
          verified.keyId());
      return Admission.admit();
    } catch (ImageRejectedException e) {
      return Admission.rejected(reason(e));
    } catch (RegistryException e) {
      if (e.isTransient()) {
        String why = "registry unreachable: the signatures of " + reference + " cannot be read now (" + e.getMessage()
            + "); the image waits and is checked again";
        log.warn("{} v{}: {}", image.modelName(), image.modelVersion(), why);
        throw new AdmissionUnavailableException(why, e);
      }
      // The registry answered, and refused or served something that is not a signature: fail closed, visibly.
      return Admission.rejected("signature_unreadable: the registry answered but its signatures of " + reference
          + " cannot be read: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdmissionUnavailableException("interrupted while checking the signature of " + reference, e);
    }
  }

  /** {@code registry/repository[:tag]@sha256:...}: the reference as announced, pinned by the announced digest. */
  static String pinned(ImageCandidate image) {
    String reference = image.imageReference();
    int at = reference.indexOf('@');
    return (at >= 0 ? reference.substring(0, at) : reference) + "@" + image.digest();
  }

  /** {@code <code>: <what it means>: <details>}: the stable code first, for people and for grep. */
  static String reason(ImageRejectedException e) {
    String code = e.reason().code();
    String detail = e.getMessage().startsWith(code + ": ") ? e.getMessage().substring(code.length() + 2) : e.getMessage();
    String meaning = switch (e.reason()) {
      case UNSIGNED -> "not signed";
      case BAD_SIGNATURE -> "signed by an unknown key (edgeloop.deploy.trust.signing-keys)";
      case DIGEST_MISMATCH -> "the signature was made for another digest";
      case REFERENCE_MISMATCH -> "the signature was made for another repository";
      case NOT_PINNED -> "not pinned by a digest";
      case UNTRUSTED_REGISTRY -> "untrusted registry";
    };
    return code + ": " + meaning + ": " + detail;
  }
}
