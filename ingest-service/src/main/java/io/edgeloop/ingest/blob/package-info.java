/** Blob containers as sources: polling for new blobs, with the position (processed names and ETags) kept in the store. */
package io.edgeloop.ingest.blob;
