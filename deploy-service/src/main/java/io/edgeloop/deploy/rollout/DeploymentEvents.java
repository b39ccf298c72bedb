package io.edgeloop.deploy.rollout;

import io.edgeloop.contracts.DeploymentOutcome;
import io.edgeloop.contracts.ModelDeployed;
import io.edgeloop.contracts.TargetKind;
import io.edgeloop.contracts.WireValues;
import io.edgeloop.messaging.outbox.Outbox;

/**
 * Announces deployment state changes with ModelDeployed through the outbox, in the transaction of
 * the change: a status is announced once (per deployment) when it is one of the announced ones and
 * differs from the last announced, so state and events cannot diverge.
 */
public class DeploymentEvents {
  private final DeploymentRepository deployments;
  private final Outbox outbox;

  public DeploymentEvents(DeploymentRepository deployments, Outbox outbox) {
    this.deployments = deployments;
    this.outbox = outbox;
  }

  /** Call inside the transaction that changed deployment {@code id}. */
  public void changed(long id) {
    Deployment d = deployments.find(id).orElseThrow();
    if (!d.status().isAnnounced() || d.status().value().equals(d.announcedStatus())) {
      return;
    }
    outbox.add(new ModelDeployed(d.target(), WireValues.parse(TargetKind.class, d.targetKind()), d.modelName(),
        d.modelVersion(), d.imageDigest(), WireValues.parse(DeploymentOutcome.class, d.status().value()),
        d.previousVersion(), d.message(), d.id(), d.finishedAt() != null ? d.finishedAt() : d.updatedAt()));
    deployments.markAnnounced(id, d.status());
  }
}
