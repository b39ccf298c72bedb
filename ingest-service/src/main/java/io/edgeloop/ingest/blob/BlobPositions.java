package io.edgeloop.ingest.blob;

import com.fasterxml.jackson.core.type.TypeReference;
import io.edgeloop.storage.ArtifactStore;
import io.edgeloop.storage.dataset.DatasetJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The position of one blob source: the name and ETag of every blob already handled, stored in the
 * artifact store ({@code ingest/positions/blob-<source>.json}, atomic put). A blob rewritten under
 * the same name has a new ETag and is handled again; names no longer listed are forgotten.
 */
final class BlobPositions {
  private final ArtifactStore store;
  private final String key;
  private final Map<String, String> handled;

  BlobPositions(ArtifactStore store, String source) throws IOException {
    this.store = store;
    this.key = "ingest/positions/blob-" + source.replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
    this.handled = load();
  }

  private Map<String, String> load() throws IOException {
    try (InputStream in = store.open(key)) {
      return new TreeMap<>(DatasetJson.mapper().readValue(in, new TypeReference<Map<String, String>>() {}));
    } catch (NoSuchFileException e) {
      return new TreeMap<>();
    }
  }

  synchronized boolean isHandled(String name, String etag) {
    return etag.equals(handled.get(name));
  }

  synchronized void markHandled(String name, String etag) throws IOException {
    handled.put(name, etag);
    save();
  }

  synchronized void forgetAllBut(Set<String> listed) throws IOException {
    if (handled.keySet().retainAll(listed)) {
      save();
    }
  }

  private void save() throws IOException {
    store.putBytes(key, DatasetJson.mapper().writeValueAsBytes(handled));
  }
}
