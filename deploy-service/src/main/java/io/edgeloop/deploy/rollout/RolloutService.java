package io.edgeloop.deploy.rollout;

import io.edgeloop.contracts.WireValues;
import io.edgeloop.contracts.TargetKind;
import io.edgeloop.contracts.DeploymentOutcome;
import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelDeployed;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.contracts.ReceivedEvent;
import io.edgeloop.deploy.target.DeploymentTarget;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.deploy.target.RolloutFailedException;
import io.edgeloop.deploy.target.TargetRegistry;
import io.edgeloop.deploy.target.TargetSpec;
import io.edgeloop.deploy.target.TargetUnreachableException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans rollouts from pushed images and manual rollbacks, and runs them: one deployment at a time,
 * stage 1 only after its stage 0 target is healthy, unreachable targets retried with backoff.
 * Every announced state change is recorded before its ModelDeployed event is sent, and re-sent
 * until the send succeeds.
 */
public class RolloutService {
  private static final Logger log = LoggerFactory.getLogger(RolloutService.class);

  private final DeploymentRepository deployments;
  private final ModelVersionRepository versions;
  private final TargetRegistry targets;
  private final RolloutPolicy policy;
  private final DeployProperties.Retry retry;
  private final DeployMetrics metrics;
  private final Announcer announcer;

  public RolloutService(DeploymentRepository deployments, ModelVersionRepository versions, TargetRegistry targets, RolloutPolicy policy,
      DeployProperties.Retry retry, DeployMetrics metrics, Announcer announcer) {
    this.deployments = deployments;
    this.versions = versions;
    this.targets = targets;
    this.policy = policy;
    this.retry = retry;
    this.metrics = metrics;
    this.announcer = announcer;
  }

  /** Plans the rollout of a pushed image; idempotent on the event id. */
  public List<Deployment> plan(ReceivedEvent<ImagePushed> event) {
    ImagePushed image = event.data();
    Optional<String> refusal = policy.refusal(image, versions.promoted(image.modelName(), image.modelVersion()));
    if (refusal.isPresent()) {
      log.info("not deploying {} v{}: {}", image.modelName(), image.modelVersion(), refusal.get());
      return List.of();
    }
    Release release = new Release(image.modelName(), image.modelVersion(), image.imageReference(), image.digest());
    List<TargetSpec> specs = targets.all().stream().map(DeploymentTarget::spec).toList();
    String rolloutId = "push-" + image.modelName() + "-" + image.modelVersion() + "-" + event.id();
    Instant now = Instant.now();
    List<Deployment> planned = new java.util.ArrayList<>();
    for (RolloutPolicy.Placement placement : policy.place(image.modelName(), specs)) {
      TargetSpec target = placement.target();
      Optional<Deployment> newer = deployments.list(target.name(), image.modelName(), 50).stream()
          .filter(d -> d.modelVersion() > image.modelVersion()
              && (d.status() == DeploymentStatus.DEPLOYED || !d.status().isFinal()))
          .findFirst();
      if (newer.isPresent()) {
        log.info("target {}: skipping {} v{}, version {} is already there or on its way", target.name(),
            image.modelName(), image.modelVersion(), newer.get().modelVersion());
        continue;
      }
      DeploymentStatus status = placement.requireApproval() ? DeploymentStatus.AWAITING_APPROVAL : DeploymentStatus.QUEUED;
      deployments.insert(new NewDeployment(rolloutId, placement.stage(), target.name(), target.kind(), release, "push",
              event.id(), status, placement.requireApproval() ? "waiting for approval" : null), now)
          .ifPresent(d -> {
            int superseded = deployments.cancelOpen(target.name(), image.modelName(), image.modelVersion(),
                "superseded by version " + image.modelVersion(), now);
            log.info("target {}: planned {} v{} (deployment {}, stage {}, {}{})", target.name(), image.modelName(),
                image.modelVersion(), d.id(), d.stage(), status.value(),
                superseded > 0 ? ", superseding " + superseded + " older" : "");
            planned.add(d);
          });
    }
    return planned;
  }

  /** Remembers whether training promoted a version (the policy deploys promoted versions only). */
  public void learn(ReceivedEvent<ModelTrained> event) {
    versions.record(event.data());
  }

  /** Releases a deployment that waits for approval. */
  public Deployment approve(long id) {
    Deployment d = deployments.find(id).orElseThrow(() -> new NoSuchElementException("no deployment " + id));
    if (!deployments.transition(id, DeploymentStatus.AWAITING_APPROVAL, DeploymentStatus.QUEUED, "approved", Instant.now())) {
      throw new IllegalStateException("deployment " + id + " is " + d.status().value() + ", not awaiting_approval");
    }
    return deployments.find(id).orElseThrow();
  }

  /**
   * Queues a rollback of {@code target} to an earlier version that was deployed before (on this
   * target, or else on any target).
   *
   * @param model the model; null = the model the target runs now
   */
  public Deployment rollback(String targetName, String model, int version) {
    DeploymentTarget target = targets.find(targetName)
        .orElseThrow(() -> new NoSuchElementException("no target " + targetName));
    String modelName = model != null ? model : target.running().map(Release::modelName)
        .or(() -> deployments.current(targetName).map(Deployment::modelName)).orElse(null);
    Deployment earlier = deployments.lastDeployed(targetName, modelName, version)
        .orElseThrow(() -> new NoSuchElementException("version " + version + (modelName == null ? "" : " of " + modelName)
            + " was never deployed; nothing to roll back to"));
    Instant now = Instant.now();
    deployments.cancelOpen(targetName, earlier.modelName(), Integer.MAX_VALUE, "replaced by a manual rollback to version " + version, now);
    return deployments.insert(new NewDeployment("rollback-" + UUID.randomUUID(), 0, targetName,
            target.kind(), earlier.release(), "rollback", null, DeploymentStatus.QUEUED,
            "manual rollback to version " + version), now)
        .orElseThrow();
  }

  /** Runs every due deployment once (called by the worker, one thread). */
  public void runDue() {
    for (Deployment d : deployments.due(Instant.now())) {
      if (d.stage() > 0 && !stageGateOpen(d)) {
        continue;
      }
      run(d);
    }
    metrics.pending(deployments.countOpen(null, DeploymentStatus.PENDING));
    announce();
  }

  /** True when the rollout's first stage is healthy; cancels {@code d} when that stage failed. */
  private boolean stageGateOpen(Deployment d) {
    List<Deployment> first = deployments.inRollout(d.rolloutId(), 0);
    if (first.stream().anyMatch(f -> f.status() == DeploymentStatus.DEPLOYED)) {
      return true;
    }
    if (!first.isEmpty() && first.stream().allMatch(f -> f.status().isFinal())) {
      deployments.transition(d.id(), d.status(), DeploymentStatus.CANCELED,
          "the first stage (" + first.get(0).target() + ") did not deploy: " + first.get(0).status().value(), Instant.now());
    }
    return first.isEmpty();
  }

  void run(Deployment d) {
    Optional<DeploymentTarget> found = targets.find(d.target());
    if (found.isEmpty()) {
      deployments.transition(d.id(), d.status(), DeploymentStatus.CANCELED, "target " + d.target() + " is no longer configured", Instant.now());
      return;
    }
    DeploymentTarget target = found.get();
    Integer previous = target.running().map(Release::modelVersion)
        .or(() -> deployments.current(d.target()).map(Deployment::modelVersion)).orElse(null);
    deployments.start(d.id(), previous, Instant.now());
    long started = System.nanoTime();
    try {
      target.deploy(d.release());
      finish(d, DeploymentStatus.DEPLOYED, "serving " + d.modelName() + " v" + d.modelVersion(), started);
      metrics.modelVersion(d.target(), d.modelName(), d.modelVersion());
      metrics.targetUp(d.target(), true);
    } catch (RolloutFailedException e) {
      finish(d, previous != null ? DeploymentStatus.ROLLED_BACK : DeploymentStatus.FAILED,
          e.getMessage() + (previous != null ? "; version " + previous + " kept serving" : ""), started);
    } catch (TargetUnreachableException e) {
      int attempts = d.attempts() + 1;
      Instant next = Instant.now().plus(retry.after(attempts));
      deployments.postpone(d.id(), e.getMessage(), next, Instant.now());
      metrics.targetUp(d.target(), false);
      log.info("target {} unreachable (attempt {}), deployment {} pending until {}", d.target(), attempts, d.id(), next);
    } catch (RuntimeException e) {
      finish(d, DeploymentStatus.FAILED, "unexpected error: " + e, started);
      log.error("deployment {} to {} failed unexpectedly", d.id(), d.target(), e);
    }
  }

  private void finish(Deployment d, DeploymentStatus status, String message, long startedNanos) {
    Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
    deployments.finish(d.id(), status, message, took.toMillis(), Instant.now());
    metrics.rollout(status, took);
    log.info("deployment {} of {} v{} to {}: {} in {} ms ({})", d.id(), d.modelName(), d.modelVersion(), d.target(),
        status.value(), took.toMillis(), message);
  }

  /** Sends ModelDeployed for every status not yet announced; what fails is tried again next time. */
  public void announce() {
    for (Deployment d : deployments.unannounced()) {
      try {
        announcer.announce(new ModelDeployed(d.target(), WireValues.parse(TargetKind.class, d.targetKind()), d.modelName(),
            d.modelVersion(), d.imageDigest(), WireValues.parse(DeploymentOutcome.class, d.status().value()),
            d.previousVersion(), d.message(), d.id(), d.finishedAt() != null ? d.finishedAt() : d.updatedAt()));
        deployments.markAnnounced(d.id(), d.status());
      } catch (RuntimeException e) {
        log.warn("cannot announce deployment {} yet: {}", d.id(), e.toString());
        return;
      }
    }
  }

  /** Probes every target for the up/down gauge; records what each serves. */
  public void probe() {
    for (DeploymentTarget target : targets.all()) {
      boolean up;
      try {
        up = target.reachable();
      } catch (RuntimeException e) {
        up = false;
      }
      metrics.targetUp(target.name(), up);
      target.running().ifPresent(r -> metrics.modelVersion(target.name(), r.modelName(), r.modelVersion()));
    }
  }

  /** After a crash, deployments that were running are queued again. */
  public void recover() {
    int requeued = deployments.requeueRunning(Instant.now());
    if (requeued > 0) {
      log.info("requeued {} deployments that were running when the service stopped", requeued);
    }
  }
}
