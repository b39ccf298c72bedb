/** Versioned datasets in the store: their key layout, manifests and index, and a small Parquet reader for consumers. */
package io.edgeloop.storage.dataset;
