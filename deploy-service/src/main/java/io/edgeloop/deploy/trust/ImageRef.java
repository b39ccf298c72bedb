package io.edgeloop.deploy.trust;

import java.util.Locale;
import java.util.Objects;

/**
 * An image reference split as a container engine reads it: {@code registry/repository[:tag][@digest]}.
 * The first path component names a registry when it contains a dot or a colon or is
 * {@code localhost}; otherwise the image is on Docker Hub ({@code docker.io}), as engines assume.
 *
 * @param registry host[:port], lower case
 * @param repository the path inside the registry, e.g. {@code edgeloop/turbofan-rul}
 * @param tag the tag, or null
 * @param digest the digest the reference itself pins ({@code sha256:...}), or null
 */
public record ImageRef(String registry, String repository, String tag, String digest) {
  public static final String DOCKER_HUB = "docker.io";

  public ImageRef {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
  }

  /** @throws IllegalArgumentException when {@code reference} is not an image reference */
  public static ImageRef parse(String reference) {
    if (reference == null || reference.isBlank() || reference.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("not an image reference: '" + reference + "'");
    }
    String rest = reference;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String tag = null;
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > slash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    String registry = DOCKER_HUB;
    int first = rest.indexOf('/');
    if (first > 0) {
      String head = rest.substring(0, first);
      if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
        registry = head;
        rest = rest.substring(first + 1);
      }
    }
    if (rest.isEmpty() || rest.startsWith("/") || rest.endsWith("/") || (tag != null && tag.isEmpty())) {
      throw new IllegalArgumentException("not an image reference: '" + reference + "'");
    }
    return new ImageRef(registry.toLowerCase(Locale.ROOT), rest, tag, digest);
  }
}
