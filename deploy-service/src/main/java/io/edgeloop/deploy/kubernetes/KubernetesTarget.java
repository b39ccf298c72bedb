package io.edgeloop.deploy.kubernetes;

import io.edgeloop.deploy.target.DeploymentTarget;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.deploy.target.RolloutFailedException;
import io.edgeloop.deploy.target.StackId;
import io.edgeloop.deploy.target.TargetSpec;
import io.edgeloop.deploy.target.TargetUnreachableException;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kubernetes namespace. A rollout applies the model's Deployment and Service and waits until the
 * new pods are ready (the cluster keeps the old pods serving meanwhile); when they do not get
 * ready in time, the previous Deployment spec is applied again.
 */
public class KubernetesTarget implements DeploymentTarget {
  private final TargetSpec spec;
  private final StackId stack;
  private final KubernetesSettings settings;
  private final KubernetesClient client;

  public KubernetesTarget(TargetSpec spec, StackId stack, KubernetesSettings settings, KubernetesClient client) {
    this.spec = spec;
    this.stack = stack;
    this.settings = settings;
    this.client = client;
  }

  @Override
  public TargetSpec spec() {
    return spec;
  }

  @Override
  public boolean reachable() {
    try {
      client.apps().deployments().inNamespace(settings.namespace()).list(new ListOptionsBuilder().withLimit(1L).build());
      return true;
    } catch (KubernetesClientException e) {
      return e.getCode() > 0; // an HTTP answer (even 403) means the API server is there
    }
  }

  @Override
  public Optional<Release> running() {
    try {
      return client.apps().deployments().inNamespace(settings.namespace())
          .withLabel("app.kubernetes.io/managed-by", "edgeloop").list().getItems().stream()
          .map(d -> d.getMetadata().getAnnotations())
          .filter(a -> a != null && a.containsKey(KubernetesManifests.ANNOTATION_DIGEST))
          .map(a -> new Release(a.get(KubernetesManifests.ANNOTATION_MODEL),
              Integer.parseInt(a.get(KubernetesManifests.ANNOTATION_VERSION)),
              a.get(KubernetesManifests.ANNOTATION_IMAGE), a.get(KubernetesManifests.ANNOTATION_DIGEST)))
          .findFirst();
    } catch (KubernetesClientException e) {
      return Optional.empty();
    }
  }

  @Override
  public void deploy(Release release) throws TargetUnreachableException, RolloutFailedException {
    Deployment desired = KubernetesManifests.deployment(release, settings, stack);
    try {
      Deployment previous = client.apps().deployments().inNamespace(settings.namespace())
          .withName(desired.getMetadata().getName()).get();
      client.resource(KubernetesManifests.service(release, settings, stack)).inNamespace(settings.namespace())
          .createOr(NonDeletingOperation::update);
      Deployment applied = client.resource(desired).inNamespace(settings.namespace()).createOr(NonDeletingOperation::update);
      if (!awaitReady(applied)) {
        if (previous != null) {
          Deployment restore = client.apps().deployments().inNamespace(settings.namespace())
              .withName(desired.getMetadata().getName()).get();
          restore.setSpec(previous.getSpec());
          restore.getMetadata().setAnnotations(previous.getMetadata().getAnnotations());
          client.resource(restore).inNamespace(settings.namespace()).update();
        }
        throw new RolloutFailedException("pods of " + release.pinnedImage() + " not ready within "
            + settings.readyTimeout().toSeconds() + " s" + (previous != null ? "; previous Deployment spec restored" : ""));
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() <= 0) {
        throw new TargetUnreachableException("Kubernetes API server not reachable: " + e.getMessage(), e);
      }
      throw new RolloutFailedException("Kubernetes refused the manifests: " + e.getMessage(), e);
    }
  }

  /** Waits until the applied generation is observed and all replicas are updated and ready. */
  private boolean awaitReady(Deployment applied) {
    long deadline = System.nanoTime() + settings.readyTimeout().toNanos();
    Long generation = applied.getMetadata().getGeneration();
    while (System.nanoTime() < deadline) {
      Deployment now = client.apps().deployments().inNamespace(settings.namespace())
          .withName(applied.getMetadata().getName()).get();
      DeploymentStatus status = now == null ? null : now.getStatus();
      if (status != null
          && (generation == null || status.getObservedGeneration() == null || status.getObservedGeneration() >= generation)
          && Objects.requireNonNullElse(status.getUpdatedReplicas(), 0) >= settings.replicas()
          && Objects.requireNonNullElse(status.getReadyReplicas(), 0) >= settings.replicas()) {
        return true;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  @Override
  public void close() {
    client.close();
  }
}
