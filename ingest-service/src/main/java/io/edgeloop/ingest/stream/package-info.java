/** Event streams as sources: Kafka topics (also Event Hubs' Kafka endpoint) and Event Hubs over AMQP, cut into batches by count and time. */
package io.edgeloop.ingest.stream;
