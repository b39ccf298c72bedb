package io.edgeloop.contracts;

/**
 * The data of one edgeloop event. Each permitted type maps to exactly one {@link EventType}: one
 * CloudEvents type, one topic, one JSON Schema.
 */
public sealed interface EdgeloopEvent
    permits DataLanded,
        DataRejected,
        RunRequested,
        RunFailed,
        ModelTrained,
        ModelPromoted,
        ImagePushed,
        ImageBuildFailed,
        ModelDeployed {

  /** The Kafka record key: events about the same thing share it, so they stay in order. */
  String partitionKey();

  /**
   * What makes this fact this fact (a dataset version, a run, a model version on a target...). The
   * CloudEvents id is derived from it, so announcing the same fact again gives the same id and
   * consumers can recognise the repeat.
   */
  String naturalKey();

  default EventType eventType() {
    return EventType.of(getClass());
  }
}
