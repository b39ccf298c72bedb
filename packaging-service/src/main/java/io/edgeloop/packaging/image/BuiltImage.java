package io.edgeloop.packaging.image;

/**
 * An image in the registry.
 *
 * @param reference the tagged reference it was pushed as
 * @param digest the manifest digest ({@code sha256:...}) that pins it
 * @param sizeBytes compressed size: all layers plus the config
 * @param pushedBytes what this push uploaded (blobs already in the registry are not sent again)
 * @param blobs number of blobs (layers + config)
 * @param uploadedBlobs number of blobs uploaded by this push
 */
public record BuiltImage(String reference, String digest, long sizeBytes, long pushedBytes, int blobs, int uploadedBlobs) {

  /** {@code <repository>@<digest>}: the exact image, whatever happens to the tag. */
  public String pinnedReference() {
    int colon = reference.lastIndexOf(':');
    String repository = colon > reference.lastIndexOf('/') ? reference.substring(0, colon) : reference;
    return repository + "@" + digest;
  }
}
