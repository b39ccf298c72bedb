package io.edgeloop.deploy.trust;

import io.edgeloop.imagetrust.SigningKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The public keys images must be signed with ({@code edgeloop.deploy.trust.signing-keys}), read when
 * a check needs them rather than at start: in one-command mode packaging makes its key pair on its
 * first start, which may come after deploy's, and an operator may rotate keys without a restart. A
 * file is parsed again only when it changed (modification time, size or file).
 */
final class TrustedKeys {
  private final List<Path> files;
  private final Map<Path, Loaded> loaded = new ConcurrentHashMap<>();

  private record Loaded(Object fileKey, long modified, long size, List<PublicKey> keys) {}

  TrustedKeys(List<Path> files) {
    this.files = List.copyOf(files);
  }

  boolean configured() {
    return !files.isEmpty();
  }

  List<Path> files() {
    return files;
  }

  /**
   * Every key of every configured file.
   *
   * @throws AdmissionUnavailableException when a file is missing or holds no readable key: which
   *     key should decide is unknown, so nothing is decided (the image waits, it is not rejected)
   */
  List<PublicKey> current() {
    List<PublicKey> keys = new ArrayList<>();
    for (Path file : files) {
      keys.addAll(read(file));
    }
    return keys;
  }

  private List<PublicKey> read(Path file) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      Loaded known = loaded.get(file);
      long modified = attributes.lastModifiedTime().toMillis();
      if (known != null && Objects.equals(known.fileKey(), attributes.fileKey()) && known.modified() == modified
          && known.size() == attributes.size()) {
        return known.keys();
      }
      List<PublicKey> keys = SigningKeys.readPublicKeys(file);
      loaded.put(file, new Loaded(attributes.fileKey(), modified, attributes.size(), keys));
      return keys;
    } catch (NoSuchFileException e) {
      throw new AdmissionUnavailableException("trusted signing key file " + file + " does not exist (yet; packaging-service"
          + " writes its key pair on its first start): check edgeloop.deploy.trust.signing-keys", e);
    } catch (IOException e) {
      throw new AdmissionUnavailableException("trusted signing key file " + file + " cannot be used: " + e.getMessage()
          + " (edgeloop.deploy.trust.signing-keys)", e);
    }
  }
}
