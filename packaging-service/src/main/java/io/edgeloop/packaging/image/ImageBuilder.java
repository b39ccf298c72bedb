package io.edgeloop.packaging.image;

/** Builds a model package's serving image and pushes it to a registry. */
public interface ImageBuilder {

  /**
   * Builds and pushes one image (one attempt; callers retry).
   *
   * @throws ImageBuildException when the registry is unreachable, refuses the credentials, the base
   *     image is missing, or the package cannot be read
   */
  BuiltImage build(ImageRequest request) throws ImageBuildException, InterruptedException;
}
