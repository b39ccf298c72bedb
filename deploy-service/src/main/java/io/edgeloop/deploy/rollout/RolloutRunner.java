package io.edgeloop.deploy.rollout;

import io.edgeloop.deploy.target.DeploymentTarget;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.deploy.target.RolloutFailedException;
import io.edgeloop.deploy.target.TargetRegistry;
import io.edgeloop.deploy.target.TargetUnreachableException;
import io.edgeloop.messaging.crash.CrashPoints;
import io.edgeloop.messaging.loop.PollLoop;
import io.edgeloop.messaging.loop.PollLoops;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs rollouts, one at a time per instance, with three background loops ({@link PollLoops}): the
 * runner claims the oldest due deployment whose target is idle (across all instances on the
 * database), rolls it out and records the outcome; the heartbeat renews the leases of what this
 * instance runs; the prober watches targets. A deployment whose owner stopped renewing its lease
 * (the instance died) is queued again by whichever instance notices first, and only then: the
 * start of one instance never takes another live instance's rollouts.
 */
public class RolloutRunner implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(RolloutRunner.class);

  private final DeploymentRepository deployments;
  private final TargetRegistry targets;
  private final TransactionTemplate tx;
  private final DeploymentEvents events;
  private final DeployMetrics metrics;
  private final PollLoops loops;
  private final DeployProperties properties;
  private final String owner;
  private volatile List<PollLoop> running = List.of();
  /** The deployment this instance rolls out now: the only one whose lease the heartbeat renews. */
  private volatile Long current;
  private volatile PollLoop runner;

  public RolloutRunner(DeploymentRepository deployments, TargetRegistry targets, TransactionTemplate tx,
      DeploymentEvents events, DeployMetrics metrics, PollLoops loops, DeployProperties properties) {
    this.deployments = deployments;
    this.targets = targets;
    this.tx = tx;
    this.events = events;
    this.metrics = metrics;
    this.loops = loops;
    this.properties = properties;
    this.owner = properties.instanceId();
  }

  public String owner() {
    return owner;
  }

  @Override
  public synchronized void start() {
    takeOver(true); // this instance's previous process (a stable instance id) left them: no need to wait for the lease
    Duration heartbeat = properties.lease().dividedBy(3);
    PollLoop leases = loops.start("rollout lease heartbeat", heartbeat, () -> {
      Long id = current;
      if (id != null) {
        deployments.renewLease(id, owner, properties.lease());
      }
      return false;
    });
    runner = loops.start("rollout runner", properties.tick(), this::runNext);
    running = List.of(leases, runner,
        loops.start("target prober", properties.probeInterval(), () -> {
          probe();
          return false;
        }));
    log.info("rollout runner {} started (lease {}, heartbeat every {})", owner, properties.lease(), heartbeat);
  }

  /** Looks for due rollouts now instead of at the next tick (something was just queued). */
  public void wakeUp() {
    PollLoop loop = runner;
    if (loop != null) {
      loop.wakeUp();
    }
  }

  @Override
  public synchronized void stop() {
    // The runner first (a rollout it interrupts is given back to the queue), the heartbeat last.
    List<PollLoop> started = running;
    running = List.of();
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).stop();
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return !running.isEmpty();
  }

  /** Runs the next due rollout, if any; true when it ran one (the loop then looks again at once). */
  boolean runNext() {
    takeOver(false);
    Optional<Deployment> claimed = tx.execute(status -> claimNext());
    metrics.pending(deployments.countOpen(null, DeploymentStatus.PENDING));
    if (claimed == null || claimed.isEmpty()) {
      return false;
    }
    current = claimed.get().id();
    try {
      run(claimed.get());
    } finally {
      // Should recording the outcome have failed (database away), the lease now runs out and the
      // rollout is taken over and run again, which a target that already serves it finishes at once.
      current = null;
    }
    return true;
  }

  private void takeOver(boolean includeOwn) {
    for (Deployment d : deployments.requeueExpired(owner, includeOwn, Instant.now())) {
      log.warn("deployment {} ({} v{} to {}) was running on {} whose lease ran out at {}: queued again", d.id(),
          d.modelName(), d.modelVersion(), d.target(), d.owner(), d.leaseUntil());
    }
  }

  /** In a transaction: the first due deployment whose target is idle and whose stage may start, now running here. */
  private Optional<Deployment> claimNext() {
    deployments.lockClaims();
    Instant now = Instant.now();
    for (Deployment d : deployments.claimable(now)) {
      if (d.stage() > 0 && !stageGateOpen(d, now)) {
        continue;
      }
      if (deployments.claim(d.id(), owner, properties.lease(), now)) {
        return deployments.find(d.id());
      }
    }
    return Optional.empty();
  }

  /** True when the rollout's first stage is healthy; cancels {@code d} when that stage ended otherwise. */
  private boolean stageGateOpen(Deployment d, Instant now) {
    List<Deployment> first = deployments.inRollout(d.rolloutId(), 0);
    if (first.stream().anyMatch(f -> f.status() == DeploymentStatus.DEPLOYED)) {
      return true;
    }
    if (!first.isEmpty() && first.stream().allMatch(f -> f.status().isFinal())) {
      deployments.transition(d.id(), d.status(), DeploymentStatus.CANCELED,
          "the first stage (" + first.get(0).target() + ") did not deploy: " + first.get(0).status().value(), now);
    }
    return first.isEmpty();
  }

  void run(Deployment d) {
    Optional<DeploymentTarget> found = targets.find(d.target());
    if (found.isEmpty()) {
      record(d, DeploymentStatus.CANCELED, "target " + d.target() + " is no longer configured", System.nanoTime());
      return;
    }
    DeploymentTarget target = found.get();
    Integer previous = previousVersion(target, d);
    deployments.recordPrevious(d.id(), owner, previous);
    long started = System.nanoTime();
    try {
      target.deploy(d.release());
      CrashPoints.reached("edgeloop.deploy.test.halt-after-deploy", d.modelName() + "@" + d.modelVersion());
      if (record(d, DeploymentStatus.DEPLOYED, "serving " + d.modelName() + " v" + d.modelVersion(), started)) {
        metrics.modelVersion(d.target(), d.modelName(), d.modelVersion());
      }
      metrics.targetUp(d.target(), true);
    } catch (RolloutFailedException e) {
      if (!giveBackIfStopping(d)) {
        record(d, previous != null ? DeploymentStatus.ROLLED_BACK : DeploymentStatus.FAILED,
            e.getMessage() + (previous != null ? "; version " + previous + " kept serving" : ""), started);
      }
    } catch (TargetUnreachableException e) {
      if (!giveBackIfStopping(d)) {
        postpone(d, e.getMessage());
        metrics.targetUp(d.target(), false);
      }
    } catch (RuntimeException e) {
      // Not a verdict on the image: retried with backoff, like an unreachable target, and visible as pending.
      if (!giveBackIfStopping(d)) {
        log.warn("deployment {} to {} failed unexpectedly; retrying with backoff", d.id(), d.target(), e);
        postpone(d, "unexpected error, retrying: " + e);
      }
    }
  }

  private Integer previousVersion(DeploymentTarget target, Deployment d) {
    try {
      Optional<Release> running = target.running();
      if (running.isPresent()) {
        return running.get().modelVersion();
      }
    } catch (RuntimeException e) {
      log.debug("target {} cannot tell what it runs: {}", d.target(), e.toString());
    }
    return deployments.current(d.target()).map(Deployment::modelVersion).orElse(null);
  }

  /** Records a final outcome with its event; false when another instance took the deployment over meanwhile. */
  private boolean record(Deployment d, DeploymentStatus status, String message, long startedNanos) {
    Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
    Boolean recorded = tx.execute(s -> {
      if (!deployments.finish(d.id(), owner, status, message, took.toMillis(), Instant.now())) {
        return false;
      }
      events.changed(d.id());
      return true;
    });
    if (!Boolean.TRUE.equals(recorded)) {
      log.warn("deployment {} to {}: {} but this instance no longer holds it (its lease was taken over); the new owner decides",
          d.id(), d.target(), status.value());
      return false;
    }
    metrics.rollout(status, took);
    log.info("deployment {} of {} v{} to {}: {} in {} ms ({})", d.id(), d.modelName(), d.modelVersion(), d.target(),
        status.value(), took.toMillis(), message);
    return true;
  }

  private void postpone(Deployment d, String message) {
    Deployment now = deployments.find(d.id()).orElse(d);
    Instant next = Instant.now().plus(properties.retry().after(now.attempts()));
    tx.executeWithoutResult(s -> {
      if (deployments.postpone(d.id(), owner, message, next, Instant.now())) {
        events.changed(d.id());
      }
    });
    log.info("deployment {} to {} pending until {} (attempt {}): {}", d.id(), d.target(), next, now.attempts(), message);
  }

  /** When this instance is stopping (its thread was interrupted), the deployment goes back to the queue at once. */
  private boolean giveBackIfStopping(Deployment d) {
    if (!Thread.interrupted()) {
      return false;
    }
    try {
      deployments.release(d.id(), owner, "given back: instance " + owner + " stopped during the rollout", Instant.now());
      log.info("deployment {} to {}: interrupted by shutdown, queued again", d.id(), d.target());
    } finally {
      Thread.currentThread().interrupt();
    }
    return true;
  }

  /** Probes every target for the up/down gauge, and re-reads what each serves (another instance may have changed it). */
  void probe() {
    for (DeploymentTarget target : targets.all()) {
      boolean up;
      try {
        up = target.reachable();
        if (up) {
          target.refresh();
        }
      } catch (RuntimeException e) {
        up = false;
      }
      metrics.targetUp(target.name(), up);
      target.running().ifPresent(r -> metrics.modelVersion(target.name(), r.modelName(), r.modelVersion()));
    }
  }
}
