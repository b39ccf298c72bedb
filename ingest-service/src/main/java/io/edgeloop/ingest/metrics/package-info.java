/** The ingest-service's meters, named as in the metrics contract (docs: brief/metrics.md). */
package io.edgeloop.ingest.metrics;
