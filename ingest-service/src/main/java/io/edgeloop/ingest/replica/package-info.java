/** PostgreSQL-backed claims on inputs and locks on datasets, so replicas of ingest share one share, container and store. */
package io.edgeloop.ingest.replica;
