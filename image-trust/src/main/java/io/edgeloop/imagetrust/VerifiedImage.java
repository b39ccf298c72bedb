package io.edgeloop.imagetrust;

/**
 * An image whose signature checked out.
 *
 * @param image the reference verified, pinned by its digest
 * @param keyId {@link SigningKeys#keyId} of the trusted key that signed it
 */
public record VerifiedImage(ImageReference image, String keyId) {}
