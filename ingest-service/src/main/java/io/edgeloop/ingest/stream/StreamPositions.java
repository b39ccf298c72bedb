package io.edgeloop.ingest.stream;

import io.edgeloop.ingest.dataset.DatasetCatalog;
import io.edgeloop.storage.dataset.DatasetIndex;
import java.io.IOException;

/**
 * Where stored data of a stream partition ends, read from the dataset index (batch names carry
 * their last offset): a restart after a version was stored but before the broker-side position
 * was committed resumes after that version instead of storing its records twice.
 */
final class StreamPositions {
  private StreamPositions() {}

  /** The offset after the last one stored for {@code location:partition}, or -1 when none is. */
  static long nextAfterStored(DatasetCatalog catalog, String dataset, String location, String partition) throws IOException {
    String prefix = StreamBatch.itemPrefix(location, partition);
    long next = -1;
    for (DatasetIndex.Entry entry : catalog.index(dataset).versions()) {
      String item = entry.sourceItem();
      if (item != null && item.startsWith(prefix)) {
        String range = item.substring(prefix.length());
        int dash = range.lastIndexOf('-');
        if (dash > 0) {
          next = Math.max(next, Long.parseLong(range.substring(dash + 1)) + 1);
        }
      }
    }
    return next;
  }
}
