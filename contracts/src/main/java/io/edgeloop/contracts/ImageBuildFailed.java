package io.edgeloop.contracts;

import java.time.Instant;
import java.util.Objects;

/**
 * A model version's image was not built, pushed or smoke-tested, after the retries packaging is
 * configured for: {@code reason} a stable code, {@code message} what a person needs to act on,
 * {@code attempt} the number of the build attempt that gave up (a later retry is a new attempt).
 */
public record ImageBuildFailed(
    String modelName,
    int modelVersion,
    BuildFailureReason reason,
    String message,
    int attempt,
    Instant failedAt)
    implements EdgeloopEvent {

  public ImageBuildFailed {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(failedAt, "failedAt");
  }

  @Override
  public String partitionKey() {
    return modelName;
  }

  @Override
  public String naturalKey() {
    return modelName + "/v" + modelVersion + "/" + attempt;
  }
}
