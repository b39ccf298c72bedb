/** The ingest-service: its application class, configuration properties and source lifecycle; features live in sub-packages. */
package io.edgeloop.ingest;
