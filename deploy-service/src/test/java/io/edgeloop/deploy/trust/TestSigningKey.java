package io.edgeloop.deploy.trust;

import io.edgeloop.deploy.target.Release;
import io.edgeloop.imagetrust.ImageSigner;
import io.edgeloop.imagetrust.SigningKeys;
import io.edgeloop.imagetrust.registry.RegistryClient;
import io.edgeloop.imagetrust.registry.RegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.KeyPair;

/**
 * The key the deploy tests sign their images with, as packaging-service signs its own: a fixed test
 * key pair in {@code src/test/resources/trust/} (a test key, worth nothing), so that test JVMs that
 * sign the same shared test image at the same time all write signatures the others accept.
 */
public final class TestSigningKey {
  private static final KeyPair KEYS = load();

  private TestSigningKey() {}

  /** The PEM public key file a test service trusts ({@code edgeloop.deploy.trust.signing-keys}). */
  public static String publicKeyFile() {
    return resource("test-signing.pub").toString();
  }

  public static KeyPair keys() {
    return KEYS;
  }

  /** Signs {@code release}'s digest in its repository, as packaging does after a push. */
  public static void sign(Release release) throws IOException {
    sign(release.imageReference() + "@" + release.digest(), KEYS);
  }

  /** Signs {@code referenceWithDigest} with {@code keys}. */
  public static void sign(String referenceWithDigest, KeyPair keys) throws IOException {
    try {
      new ImageSigner(RegistryClient.anonymous(), keys).sign(referenceWithDigest);
    } catch (RegistryException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while signing " + referenceWithDigest, e);
    }
  }

  private static KeyPair load() {
    try {
      return SigningKeys.loadOrCreate(resource("test-signing.key"), resource("test-signing.pub"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path resource(String name) {
    try {
      return Path.of(TestSigningKey.class.getResource("/trust/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource trust/" + name + " is missing", e);
    }
  }
}
