package io.edgeloop.packaging.builds;

import io.edgeloop.storage.ArtifactStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Copies a model package to a local directory from its {@code packageUri}: a {@code file:} directory,
 * or a prefix in the artifact store (a URI under the store's own {@link ArtifactStore#uri}, e.g.
 * {@code https://<account>.blob.core.windows.net/<container>/models/...}).
 */
public final class PackageFetcher {
  private final ArtifactStore store;

  public PackageFetcher(ArtifactStore store) {
    this.store = store;
  }

  /** The package is not where the event says, or the URI is of no supported kind: fetching again cannot help. */
  public static final class PackageNotFoundException extends IOException {
    PackageNotFoundException(String message) {
      super(message);
    }
  }

  /**
   * @throws PackageNotFoundException when the URI is not one of the supported kinds or nothing is there
   * @throws IOException when the store cannot be read (it may be away for a while)
   */
  public void fetch(String packageUri, Path target) throws IOException {
    if (packageUri == null || packageUri.isBlank()) {
      throw new PackageNotFoundException("the event has no packageUri");
    }
    URI uri = URI.create(packageUri);
    if ("file".equals(uri.getScheme())) {
      copyDirectory(Path.of(uri), target);
      return;
    }
    String prefix = store.keyOf(packageUri).orElseThrow(() -> new PackageNotFoundException("cannot fetch " + packageUri
        + ": use a file: directory or a URI under the artifact store " + store.uri(ArtifactStore.KEY_PROBE)));
    if (store.list(prefix.endsWith("/") ? prefix : prefix + "/").isEmpty()) {
      throw new PackageNotFoundException("no model package under " + packageUri);
    }
    store.downloadAll(prefix, target);
  }

  private static void copyDirectory(Path source, Path target) throws IOException {
    if (!Files.isDirectory(source)) {
      throw new PackageNotFoundException("no model package directory at " + source);
    }
    Files.createDirectories(target);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        Path copy = target.resolve(source.relativize(file).toString());
        Files.createDirectories(copy.getParent());
        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
