/**
 * Dead letters of the services: read from their dead-letter topics, put back on the topics they
 * came from, and the record of each replay.
 */
package io.edgeloop.launcher.dlq;
