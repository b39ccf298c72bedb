package io.edgeloop.deploy.rollout;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.edgeloop.deploy.target.Release;
import java.time.Instant;

/**
 * One rollout of one model version to one target: its JSON form is the REST API's.
 *
 * @param rolloutId shared by the deployments one ImagePushed (or one rollback request) caused
 * @param stage 0 for the first target of a staged rollout, 1 for the targets that wait for it
 * @param trigger {@code push} (an ImagePushed event), {@code promote} (a ModelPromoted event) or
 *     {@code rollback} (manual)
 * @param previousVersion what the target ran before, where known
 * @param owner the deploy-service instance that runs it now (or ran it last)
 * @param leaseUntil until when {@code owner} holds it without renewing; another instance takes a
 *     running deployment over only after this
 */
public record Deployment(
    long id,
    String rolloutId,
    int stage,
    String target,
    String targetKind,
    String modelName,
    int modelVersion,
    String imageReference,
    String imageDigest,
    String trigger,
    String sourceEventId,
    DeploymentStatus status,
    Integer previousVersion,
    String message,
    int attempts,
    Instant nextAttemptAt,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant finishedAt,
    Long durationMs,
    String owner,
    Instant leaseUntil,
    @JsonIgnore String announcedStatus) {

  @JsonIgnore
  public Release release() {
    return new Release(modelName, modelVersion, imageReference, imageDigest);
  }
}
