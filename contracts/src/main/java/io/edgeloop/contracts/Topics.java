package io.edgeloop.contracts;

/** Topic names, one per event type; other systems may produce to or consume from any of them. */
public final class Topics {
  public static final String DATA_LANDED = "edgeloop.data-landed";
  public static final String DATA_REJECTED = "edgeloop.data-rejected";
  public static final String RUN_REQUESTED = "edgeloop.run-requested";
  public static final String RUN_FAILED = "edgeloop.run-failed";
  public static final String MODEL_TRAINED = "edgeloop.model-trained";
  public static final String MODEL_PROMOTED = "edgeloop.model-promoted";
  public static final String IMAGE_PUSHED = "edgeloop.image-pushed";
  public static final String IMAGE_BUILD_FAILED = "edgeloop.image-build-failed";
  public static final String MODEL_DEPLOYED = "edgeloop.model-deployed";

  /** Every event topic, in {@link EventType} order. */
  public static java.util.List<String> all() {
    return java.util.Arrays.stream(EventType.values()).map(EventType::topic).toList();
  }

  /** Dead letters of one consuming service: records it could not decode or handle, with the error in headers. */
  public static String deadLetters(String service) {
    return "edgeloop.dlq." + service;
  }

  private Topics() {}
}
