package io.edgeloop.storage.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code datasets/<name>/index.json}: every version of one dataset, in order, with the state of its
 * announcement. It is rewritten whole with the store's atomic put.
 */
public record DatasetIndex(String dataset, List<Column> schema, List<Entry> versions) {
  public static final String STORED = "stored";
  public static final String ANNOUNCED = "announced";

  public DatasetIndex {
    versions = versions == null ? List.of() : List.copyOf(versions);
  }

  public static DatasetIndex empty(String dataset) {
    return new DatasetIndex(dataset, null, List.of());
  }

  /**
   * One version. {@code state} is {@link #STORED} until its DataLanded was sent, then {@link #ANNOUNCED}.
   */
  public record Entry(long version, String sha256, String sourceSha256, long rows, String sourceItem, String state) {
    public Entry withState(String newState) {
      return new Entry(version, sha256, sourceSha256, rows, sourceItem, newState);
    }
  }

  public long latestVersion() {
    return versions.isEmpty() ? 0 : versions.get(versions.size() - 1).version();
  }

  public Optional<Entry> bySourceSha256(String sha256) {
    return versions.stream().filter(e -> e.sourceSha256().equals(sha256)).findFirst();
  }

  public Optional<Entry> byDataSha256(String sha256) {
    return versions.stream().filter(e -> e.sha256().equals(sha256)).findFirst();
  }

  public DatasetIndex with(Entry entry, List<Column> newSchema) {
    List<Entry> next = new ArrayList<>();
    boolean replaced = false;
    for (Entry e : versions) {
      if (e.version() == entry.version()) {
        next.add(entry);
        replaced = true;
      } else {
        next.add(e);
      }
    }
    if (!replaced) {
      next.add(entry);
    }
    return new DatasetIndex(dataset, newSchema, next);
  }
}
