package io.edgeloop.contracts;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of a rollout to one target. {@code status} is {@code deployed}, {@code failed},
 * {@code rolled_back} or {@code pending}; {@code previousVersion} is null on a first deployment.
 */
public record ModelDeployed(
    String target,
    String targetKind,
    String modelName,
    int modelVersion,
    String imageDigest,
    String status,
    Integer previousVersion,
    String message,
    Instant deployedAt)
    implements EdgeloopEvent {

  public ModelDeployed {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(targetKind, "targetKind");
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(deployedAt, "deployedAt");
  }

  @Override
  public String partitionKey() {
    return target;
  }
}
