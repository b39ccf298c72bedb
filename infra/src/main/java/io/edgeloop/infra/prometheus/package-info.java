/** A real Prometheus process started on edgeloop's own configuration, and a client for its HTTP query API. */
package io.edgeloop.infra.prometheus;
