package io.edgeloop.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Blob storage: keys are {@code /}-separated relative paths ({@code datasets/turbofan/v3/data.parquet}).
 * Few abstract methods; conveniences are default methods written once. A {@code put} is all or
 * nothing: readers never see a partly written blob.
 */
public interface ArtifactStore {
  /** A key whose URI shows where this store's keys begin ({@link #keyOf}). */
  String KEY_PROBE = "probe";

  /** Stores {@code content} under {@code key}, replacing what was there; {@code length} may be -1 if unknown. */
  void put(String key, InputStream content, long length) throws IOException;

  /** Opens {@code key}; throws {@link NoSuchFileException} when it does not exist. */
  InputStream open(String key) throws IOException;

  /** Keys under {@code prefix} (recursively), sorted. */
  List<String> list(String prefix) throws IOException;

  /** Deletes {@code key}; does nothing when it does not exist. */
  void delete(String key) throws IOException;

  /** Where {@code key} lives, as a URI other systems can use ({@code file:}, {@code https://<account>.blob...}). */
  URI uri(String key);

  /**
   * The key that {@code uri} names in this store (the inverse of {@link #uri}), or empty when it lies
   * elsewhere. Compared on decoded paths, never on the text: the Azure SDK's blob URLs escape every
   * {@code /} of a key ({@code datasets%2Fturbofan%2Fv1%2Fdata.parquet}) and a {@code file:} URI
   * escapes a space, so cutting the store's own URI off the front of the text misses both.
   */
  default Optional<String> keyOf(String uri) {
    URI given;
    try {
      given = new URI(uri);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    URI probe = uri(KEY_PROBE);
    String probePath = probe.getPath();
    String base = probePath.substring(0, probePath.length() - KEY_PROBE.length());
    String path = given.getPath();
    if (path == null || !Objects.equals(probe.getScheme(), given.getScheme())
        || !Objects.equals(probe.getRawAuthority(), given.getRawAuthority()) || !path.startsWith(base) || path.length() == base.length()) {
      return Optional.empty();
    }
    return Optional.of(path.substring(base.length()));
  }

  default boolean exists(String key) throws IOException {
    try (InputStream ignored = open(key)) {
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  default void putFile(String key, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      put(key, in, Files.size(file));
    }
  }

  default void putBytes(String key, byte[] bytes) throws IOException {
    put(key, new java.io.ByteArrayInputStream(bytes), bytes.length);
  }

  /** Writes the content of {@code key} to {@code out}; a store that can stream it in one request does. */
  default void copyTo(String key, java.io.OutputStream out) throws IOException {
    try (InputStream in = open(key)) {
      in.transferTo(out);
    }
  }

  default byte[] readBytes(String key) throws IOException {
    try (InputStream in = open(key)) {
      return in.readAllBytes();
    }
  }

  default void download(String key, Path target) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    try (InputStream in = open(key)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Copies every key under {@code prefix} into {@code dir}, keeping the relative layout. */
  default void downloadAll(String prefix, Path dir) throws IOException {
    String base = prefix.endsWith("/") ? prefix : prefix + "/";
    for (String key : list(base)) {
      Path target = dir.resolve(key.substring(base.length())).normalize();
      if (!target.startsWith(dir.normalize())) {
        throw new IOException("refusing to write outside " + dir + ": " + key);
      }
      download(key, target);
    }
  }

  /** Uploads every regular file under {@code dir} to {@code prefix}/relative/path. */
  default void uploadAll(Path dir, String prefix) throws IOException {
    String base = prefix.endsWith("/") ? prefix : prefix + "/";
    try (var files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        putFile(base + dir.relativize(file).toString().replace('\\', '/'), file);
      }
    }
  }

  static String requireValidKey(String key) {
    if (key == null || key.isBlank() || key.startsWith("/") || key.contains("\\")) {
      throw new IllegalArgumentException("invalid blob key '" + key + "': use a relative path with '/'");
    }
    for (String part : key.split("/")) {
      if (part.equals("..") || part.equals(".")) {
        throw new IllegalArgumentException("invalid blob key '" + key + "': no '.' or '..' segments");
      }
    }
    return key;
  }

}
