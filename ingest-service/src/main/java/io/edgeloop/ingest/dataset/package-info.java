/** The ingest pipeline shared by every source: convert, deduplicate, version, store, verify, announce, then tidy or quarantine. */
package io.edgeloop.ingest.dataset;
