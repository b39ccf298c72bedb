package io.edgeloop.contracts;

import java.util.Arrays;
import java.util.Optional;

/** Every event type: its CloudEvents {@code type}, its topic, its data class and its JSON Schema. */
public enum EventType {
  DATA_LANDED("edgeloop.data.landed.v1", Topics.DATA_LANDED, DataLanded.class),
  DATA_REJECTED("edgeloop.data.rejected.v1", Topics.DATA_REJECTED, DataRejected.class),
  RUN_REQUESTED("edgeloop.run.requested.v1", Topics.RUN_REQUESTED, RunRequested.class),
  RUN_FAILED("edgeloop.run.failed.v1", Topics.RUN_FAILED, RunFailed.class),
  MODEL_TRAINED("edgeloop.model.trained.v1", Topics.MODEL_TRAINED, ModelTrained.class),
  MODEL_PROMOTED("edgeloop.model.promoted.v1", Topics.MODEL_PROMOTED, ModelPromoted.class),
  IMAGE_PUSHED("edgeloop.image.pushed.v1", Topics.IMAGE_PUSHED, ImagePushed.class),
  IMAGE_BUILD_FAILED("edgeloop.image.build-failed.v1", Topics.IMAGE_BUILD_FAILED, ImageBuildFailed.class),
  MODEL_DEPLOYED("edgeloop.model.deployed.v1", Topics.MODEL_DEPLOYED, ModelDeployed.class);

  private final String type;
  private final String topic;
  private final Class<? extends EdgeloopEvent> dataClass;

  EventType(String type, String topic, Class<? extends EdgeloopEvent> dataClass) {
    this.type = type;
    this.topic = topic;
    this.dataClass = dataClass;
  }

  /** The CloudEvents {@code type} attribute, versioned by name ({@code .v1}). */
  public String type() {
    return type;
  }

  public String topic() {
    return topic;
  }

  public Class<? extends EdgeloopEvent> dataClass() {
    return dataClass;
  }

  /** Classpath location of the JSON Schema (draft 2020-12) of this type's data. */
  public String schemaResource() {
    return "/schemas/" + type + ".schema.json";
  }

  /** The URI written as the CloudEvents {@code dataschema} attribute. */
  public java.net.URI schemaUri() {
    return java.net.URI.create("https://edgeloop.io/schemas/" + type + ".schema.json");
  }

  public static Optional<EventType> fromType(String ceType) {
    return Arrays.stream(values()).filter(t -> t.type.equals(ceType)).findFirst();
  }

  public static EventType of(Class<? extends EdgeloopEvent> dataClass) {
    return Arrays.stream(values())
        .filter(t -> t.dataClass == dataClass)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not an edgeloop event class: " + dataClass));
  }
}
