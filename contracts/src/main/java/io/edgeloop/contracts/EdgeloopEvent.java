package io.edgeloop.contracts;

/**
 * The data of one edgeloop event. Each permitted type maps to exactly one {@link EventType}: one
 * CloudEvents type, one topic, one JSON Schema.
 */
public sealed interface EdgeloopEvent
    permits DataLanded, DataRejected, RunRequested, RunFailed, ModelTrained, ImagePushed, ModelDeployed {

  /** The Kafka record key: events about the same thing share it, so they stay in order. */
  String partitionKey();

  default EventType eventType() {
    return EventType.of(getClass());
  }
}
