package io.edgeloop.deploy.rollout;

import io.edgeloop.deploy.target.Release;

/** What the planner asks the repository to record (a rejected image need not be a valid {@link Release}). */
public record NewDeployment(
    String rolloutId, int stage, String target, String targetKind, String modelName, int modelVersion,
    String imageReference, String imageDigest, String trigger, String sourceEventId, DeploymentStatus status,
    String message) {

  static NewDeployment of(String rolloutId, int stage, String target, String targetKind, Release release, String trigger,
      String sourceEventId, DeploymentStatus status, String message) {
    return new NewDeployment(rolloutId, stage, target, targetKind, release.modelName(), release.modelVersion(),
        release.imageReference(), release.digest(), trigger, sourceEventId, status, message);
  }
}
