package io.edgeloop.ingest.dataset;

import java.io.IOException;

/**
 * Serialises the writes to one dataset's versions and index across instances: a version is
 * numbered, stored and added to the index while its dataset is locked, after the index is read
 * again, so two replicas never take the same number nor overwrite each other's index.
 */
public interface DatasetLocks {

  /** Runs {@code work} while {@code dataset} is locked against every other instance. */
  <T> T locked(String dataset, Work<T> work) throws IOException;

  /** What runs under the lock. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws IOException;
  }

  /** For a single instance with no database: the catalog's own monitor is the only lock needed. */
  DatasetLocks SOLE = new DatasetLocks() {
    @Override
    public <T> T locked(String dataset, Work<T> work) throws IOException {
      return work.run();
    }
  };
}
