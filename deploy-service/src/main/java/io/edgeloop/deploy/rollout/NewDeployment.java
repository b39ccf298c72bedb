package io.edgeloop.deploy.rollout;

import io.edgeloop.deploy.target.Release;

/** What the planner asks the repository to record. */
public record NewDeployment(
    String rolloutId, int stage, String target, String targetKind, Release release, String trigger,
    String sourceEventId, DeploymentStatus status, String message) {}
