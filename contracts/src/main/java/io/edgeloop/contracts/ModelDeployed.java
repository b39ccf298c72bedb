package io.edgeloop.contracts;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of a rollout to one target; {@code previousVersion} is null on a first deployment,
 * {@code deploymentId} the deploy service's id of this deployment (null from older producers).
 */
public record ModelDeployed(
    String target,
    TargetKind targetKind,
    String modelName,
    int modelVersion,
    String imageDigest,
    DeploymentOutcome status,
    Integer previousVersion,
    String message,
    Long deploymentId,
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

  @Override
  public String naturalKey() {
    return target + "/" + modelName + "/v" + modelVersion + "/" + status.wire() + "/"
        + (deploymentId != null ? deploymentId.toString() : deployedAt.toString());
  }
}
