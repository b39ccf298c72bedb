package io.edgeloop.imagetrust;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image reference split as a registry client needs it: {@code registry/repository[:tag][@sha256:...]}.
 * A first path part with a dot or a colon, or {@code localhost}, is the registry (as Docker reads
 * references); otherwise the image is on Docker Hub ({@code docker.io}, {@code library/} for a
 * one-part name).
 *
 * @param registry {@code host[:port]}
 * @param repository the path under the registry, e.g. {@code edgeloop/turbofan-rul}
 * @param tag the tag, or null
 * @param digest {@code sha256:<64 hex>}, or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
  public static final String DOCKER_HUB = "docker.io";
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  public ImageReference {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    if (!REPOSITORY.matcher(repository).matches()) {
      throw new IllegalArgumentException("not a repository name: '" + repository + "'");
    }
    if (tag != null && !TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException("not a tag: '" + tag + "'");
    }
    if (digest != null && !DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException("not a sha256 digest: '" + digest + "'");
    }
  }

  /**
   * Parses {@code [registry/]repository[:tag][@sha256:...]}.
   *
   * @throws IllegalArgumentException when it is not an image reference
   */
  public static ImageReference parse(String reference) {
    Objects.requireNonNull(reference, "reference");
    String rest = reference.strip();
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    String registry = DOCKER_HUB;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("not an image reference: '" + reference + "'");
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  /** {@code registry/repository}: what a signature's {@code docker-reference} names. */
  public String repositoryReference() {
    return registry + "/" + repository;
  }

  /** This image pinned by {@code newDigest}, without its tag. */
  public ImageReference withDigest(String newDigest) {
    return new ImageReference(registry, repository, null, newDigest);
  }

  public Optional<String> optionalDigest() {
    return Optional.ofNullable(digest);
  }

  /** Whether the registry is on this host: 127.0.0.1, localhost or ::1 (with any port). */
  public boolean loopbackRegistry() {
    return isLoopback(registry);
  }

  /** Whether {@code registry} ({@code host[:port]}) is 127.0.0.1, localhost or ::1. */
  public static boolean isLoopback(String registry) {
    String host = registry.toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      host = host.substring(1, Math.max(1, host.indexOf(']')));
    } else if (host.indexOf(':') == host.lastIndexOf(':') && host.contains(":")) {
      host = host.substring(0, host.indexOf(':'));
    }
    return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1");
  }

  @Override
  public String toString() {
    return repositoryReference() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
  }
}
