/** The transactional outbox: events recorded with the state change they announce, and the relay that publishes them. */
package io.edgeloop.training.outbox;
