package io.edgeloop.training.dataset;

import io.edgeloop.storage.ArtifactStore;
import io.edgeloop.storage.dataset.DatasetReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Copies the files of dataset versions into a run's data folder ({@code <dataset>/v<version>/<file>}),
 * reading each URI from the artifact store when it lies there, or from the local filesystem for
 * {@code file:} URIs outside it.
 */
@Component
public class DatasetFiles {
  private final ArtifactStore store;

  public DatasetFiles(ArtifactStore store) {
    this.store = store;
  }

  /**
   * Copies every file of {@code versions} under {@code dir}; with {@code csv} true, Parquet files are
   * converted to CSV (header row, empty field = null), for scripts without a Parquet library.
   * Returns the local paths, in order.
   */
  public List<Path> fetch(List<DatasetVersion> versions, Path dir, boolean csv) throws IOException {
    List<Path> files = fetch(versions, dir);
    if (!csv) {
      return files;
    }
    List<Path> converted = new ArrayList<>();
    for (Path file : files) {
      if (!file.getFileName().toString().endsWith(".parquet")) {
        converted.add(file);
        continue;
      }
      Path target = file.resolveSibling(file.getFileName().toString().replaceAll("\\.parquet$", ".csv"));
      try (var out = Files.newBufferedWriter(target)) {
        List<String> lines = new ArrayList<>();
        var schema = DatasetReader.forEachRow(file, row -> {
          StringBuilder line = new StringBuilder();
          for (int c = 0; c < row.length; c++) {
            line.append(c == 0 ? "" : ",").append(field(row[c]));
          }
          lines.add(line.toString());
        });
        out.write(schema.stream().map(col -> field(col.name())).collect(java.util.stream.Collectors.joining(",")));
        out.write("\n");
        for (String line : lines) {
          out.write(line);
          out.write("\n");
        }
      }
      Files.delete(file);
      converted.add(target);
    }
    return converted;
  }

  private static String field(Object value) {
    if (value == null) {
      return "";
    }
    String s = String.valueOf(value);
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /** Copies every file of {@code versions} under {@code dir} as stored; returns the local paths, in order. */
  public List<Path> fetch(List<DatasetVersion> versions, Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (DatasetVersion v : versions) {
      Path versionDir = dir.resolve(v.dataset()).resolve("v" + v.version());
      Files.createDirectories(versionDir);
      for (String uri : v.uris()) {
        String name = uri.substring(uri.lastIndexOf('/') + 1);
        if (name.isBlank() || name.equals("..") || name.equals(".")) {
          throw new IOException("dataset URI names no file: " + uri);
        }
        Path target = versionDir.resolve(name);
        try (InputStream in = open(uri)) {
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        files.add(target);
      }
    }
    return files;
  }

  private InputStream open(String uri) throws IOException {
    Optional<String> key = store.keyOf(uri);
    if (key.isPresent()) {
      return store.open(key.get());
    }
    URI parsed = URI.create(uri);
    if ("file".equals(parsed.getScheme())) {
      return Files.newInputStream(Path.of(parsed));
    }
    throw new IOException("dataset URI " + uri + " is neither in the artifact store (whose URIs look like " + store.uri(ArtifactStore.KEY_PROBE) + ") nor a file: URI");
  }
}
