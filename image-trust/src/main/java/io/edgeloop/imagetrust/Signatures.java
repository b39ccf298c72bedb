package io.edgeloop.imagetrust;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/** Checks one base64 signature over a payload with the JDK's {@value SigningKeys#SIGNATURE_ALGORITHM}. */
final class Signatures {
  private Signatures() {}

  /** True when {@code base64Signature} is {@code key}'s signature of {@code payload}; false for anything malformed. */
  static boolean verifies(PublicKey key, byte[] payload, String base64Signature) {
    if (base64Signature == null) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(SigningKeys.SIGNATURE_ALGORITHM);
      verifier.initVerify(key);
      verifier.update(payload);
      return verifier.verify(Base64.getDecoder().decode(base64Signature.strip()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false; // not base64, not DER, not an EC key: not a signature by this key
    }
  }
}
