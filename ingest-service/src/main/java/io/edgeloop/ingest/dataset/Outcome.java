package io.edgeloop.ingest.dataset;

import io.edgeloop.storage.dataset.DatasetManifest;

/** How one input ended. */
public sealed interface Outcome {
  /** A new version was stored and announced. */
  record Accepted(DatasetManifest manifest) implements Outcome {}

  /** The same content is already version {@code version} of {@code dataset}. */
  record Duplicate(String dataset, long version) implements Outcome {}

  /** Refused and quarantined at {@code quarantineUri}. */
  record Rejected(String reasonCode, String message, String quarantineUri) implements Outcome {}

  /** Not handled now (the input changed while being read, or storage / the broker failed); the source offers it again. */
  record Retry(String reason) implements Outcome {}
}
