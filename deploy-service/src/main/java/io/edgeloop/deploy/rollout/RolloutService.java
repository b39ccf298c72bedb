package io.edgeloop.deploy.rollout;

import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelPromoted;
import io.edgeloop.contracts.ReceivedEvent;
import io.edgeloop.deploy.target.DeploymentTarget;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.deploy.target.TargetRegistry;
import io.edgeloop.deploy.target.TargetSpec;
import io.edgeloop.deploy.trust.Admission;
import io.edgeloop.deploy.trust.ImageAdmission;
import io.edgeloop.deploy.trust.ImageCandidate;
import io.edgeloop.messaging.PoisonEventException;
import io.edgeloop.messaging.dedupe.ProcessedEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns what happens to models into deployments: a pushed image, a champion change, a manual
 * rollback or approval. Each event has one effect: it is recorded in {@code processed_event} (by
 * the id of its natural key) in the transaction that records its deployments, so a redelivery or a
 * re-announcement of the same fact plans nothing more. Every image passes {@link ImageAdmission}
 * before anything about it is believed; a rejected one gets {@code rejected} deployments (announced)
 * and changes nothing else. Which version is the champion, and so serves, is {@link Champion}'s
 * to decide.
 */
public class RolloutService {
  private static final Logger log = LoggerFactory.getLogger(RolloutService.class);
  /** Column widths of the deployment history: an event with longer values can never be stored. */
  private static final int MAX_MODEL_NAME = 200;

  private final TransactionTemplate tx;
  private final ProcessedEvents processed;
  private final DeploymentRepository deployments;
  private final ModelImageRepository images;
  private final ChampionRepository champions;
  private final TargetRegistry targets;
  private final RolloutPolicy policy;
  private final boolean deployUnpromoted;
  private final ImageAdmission admission;
  private final DeploymentEvents events;
  private final DeployMetrics metrics;
  private final Runnable wakeRunner;

  /** @param wakeRunner asks the rollout runner to look for work now (called after a commit that queued some) */
  public RolloutService(TransactionTemplate tx, ProcessedEvents processed, DeploymentRepository deployments,
      ModelImageRepository images, ChampionRepository champions, TargetRegistry targets, DeployProperties.Policy policy,
      ImageAdmission admission, DeploymentEvents events, DeployMetrics metrics, Runnable wakeRunner) {
    this.tx = tx;
    this.processed = processed;
    this.deployments = deployments;
    this.images = images;
    this.champions = champions;
    this.targets = targets;
    this.policy = new RolloutPolicy(policy);
    this.deployUnpromoted = policy.deployUnpromoted();
    this.admission = admission;
    this.events = events;
    this.metrics = metrics;
    this.wakeRunner = wakeRunner;
  }

  /**
   * An image was pushed: admit it, record it, let its {@code promoted} flag speak for the champion
   * where it may, and roll it out when it is the champion's image (or every image, with
   * {@code policy.deploy-unpromoted}).
   */
  public void onImagePushed(ReceivedEvent<ImagePushed> received) {
    ImagePushed image = received.data();
    requireStorable(image.modelName());
    // Outside the transaction: a check may ask a registry, and the event is retried when it cannot answer.
    Admission admitted = admission.admit(ImageCandidate.of(image));
    String eventId = EventCodec.eventId(image);
    tx.executeWithoutResult(status -> {
      if (!processed.firstDelivery(byNaturalKey(received, eventId))) {
        log.info("{} v{} ({}): already handled, nothing to do", image.modelName(), image.modelVersion(), image.digest());
        return;
      }
      Instant now = Instant.now();
      images.record(image.modelName(), image.modelVersion(), clip(image.digest(), 80), clip(image.imageReference(), 500),
          admitted.admitted(), admitted.reason(), eventId, now);
      if (!admitted.admitted()) {
        reject(image.modelName(), image.modelVersion(), image.imageReference(), image.digest(), admitted.reason(), eventId, now);
        return;
      }
      Release release = new Release(image.modelName(), image.modelVersion(), image.imageReference(), image.digest());
      Optional<Champion> known = champions.lock(image.modelName());
      Optional<Champion> changed = Champion.afterPush(known, image,
          champions.promotedBefore(image.modelName(), image.modelVersion()), now);
      changed.ifPresent(champions::save);
      Integer champion = changed.or(() -> known).map(Champion::version).orElse(null);
      if (deployUnpromoted) {
        plan(release, "push", eventId, true);
      } else if (champion != null && champion == image.modelVersion()) {
        plan(release, "push", eventId, false);
      } else {
        log.info("{} v{}: image recorded; not rolled out, the champion is {}", image.modelName(), image.modelVersion(),
            champion == null ? "not set" : "version " + champion);
      }
    });
  }

  /**
   * The champion alias changed (gate or person): when it now points at another version whose image
   * is known and admitted, that image is rolled out, older or newer. A removed champion (a
   * demotion) rolls nothing back: targets keep serving what they serve until another version
   * becomes champion or an operator rolls back.
   */
  public void onModelPromoted(ReceivedEvent<ModelPromoted> received) {
    ModelPromoted promotion = received.data();
    requireStorable(promotion.modelName());
    String eventId = EventCodec.eventId(promotion);
    tx.executeWithoutResult(status -> {
      if (!processed.firstDelivery(byNaturalKey(received, eventId))) {
        log.info("{} alias {} change {}: already handled", promotion.modelName(), promotion.alias(), promotion.sequence());
        return;
      }
      if (!ModelPromoted.CHAMPION.equals(promotion.alias())) {
        log.debug("{}: alias {} is not the one deploy follows", promotion.modelName(), promotion.alias());
        return;
      }
      Instant now = Instant.now();
      String model = promotion.modelName();
      Optional<Champion> known = champions.lock(model);
      Optional<Champion> changed = Champion.afterPromotion(known, promotion, now);
      champions.recordPromotion(model, promotion.modelVersion(), promotion.sequence());
      if (changed.isEmpty()) {
        log.info("{}: champion change {} ({} v{}) is older than what deploy knows; ignored", model, promotion.sequence(),
            promotion.change().wire(), promotion.modelVersion());
        return;
      }
      champions.save(changed.get());
      Integer before = known.map(Champion::version).orElse(null);
      Integer after = changed.get().version();
      if (after == null) {
        log.info("{}: v{} is no longer champion ({}); targets keep serving what they serve", model,
            promotion.modelVersion(), promotion.cause().wire());
        return;
      }
      if (after.equals(before)) {
        return;
      }
      Optional<Release> image = images.admitted(model, after);
      if (image.isEmpty()) {
        log.info("{}: v{} is champion now; it is rolled out when its image is pushed", model, after);
        return;
      }
      Admission again = admission.admit(new ImageCandidate(model, after, image.get().imageReference(), image.get().digest()));
      if (!again.admitted()) {
        reject(model, after, image.get().imageReference(), image.get().digest(), again.reason(), eventId, now);
        return;
      }
      plan(image.get(), "promote", eventId, false);
    });
  }

  /** Plans one deployment per target the policy picks; a target that has this image already, or on its way, is skipped. */
  private List<Deployment> plan(Release release, String trigger, String eventId, boolean skipOlder) {
    String rolloutId = trigger + "-" + release.modelName() + "-v" + release.modelVersion() + "-" + eventId;
    Instant now = Instant.now();
    List<Deployment> planned = new ArrayList<>();
    for (RolloutPolicy.Placement placement : policy.place(release.modelName(), specs())) {
      TargetSpec target = placement.target();
      Optional<Deployment> latest = deployments.latest(target.name(), release.modelName());
      if (latest.isPresent() && latest.get().imageDigest().equals(release.digest())
          && (latest.get().status() == DeploymentStatus.DEPLOYED || !latest.get().status().isFinal())) {
        log.info("target {}: {} v{} is already there or on its way (deployment {})", target.name(), release.modelName(),
            release.modelVersion(), latest.get().id());
        continue;
      }
      if (skipOlder && newerOnTarget(target.name(), release)) {
        continue;
      }
      DeploymentStatus status = placement.requireApproval() ? DeploymentStatus.AWAITING_APPROVAL : DeploymentStatus.QUEUED;
      deployments.insert(NewDeployment.of(rolloutId, placement.stage(), target.name(), target.kind(), release, trigger,
              eventId, status, placement.requireApproval() ? "waiting for approval" : null), now)
          .ifPresent(d -> {
            int superseded = deployments.cancelWaiting(target.name(), release.modelName(), d.id(),
                "superseded by version " + release.modelVersion() + " (deployment " + d.id() + ")", now);
            log.info("target {}: planned {} v{} (deployment {}, {}, stage {}, {}{})", target.name(), release.modelName(),
                release.modelVersion(), d.id(), trigger, d.stage(), status.value(),
                superseded > 0 ? ", superseding " + superseded + " waiting" : "");
            planned.add(d);
          });
    }
    if (!planned.isEmpty()) {
      wakeRunnerAfterCommit();
    }
    return planned;
  }

  /** The runner starts on what this transaction queued as soon as it commits, not at its next tick. */
  private void wakeRunnerAfterCommit() {
    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
      @Override
      public void afterCommit() {
        wakeRunner.run();
      }
    });
  }

  private boolean newerOnTarget(String target, Release release) {
    Optional<Deployment> newer = deployments.list(target, release.modelName(), 50).stream()
        .filter(d -> d.modelVersion() > release.modelVersion()
            && (d.status() == DeploymentStatus.DEPLOYED || !d.status().isFinal()))
        .findFirst();
    newer.ifPresent(n -> log.info("target {}: skipping {} v{}, version {} is already there or on its way", target,
        release.modelName(), release.modelVersion(), n.modelVersion()));
    return newer.isPresent();
  }

  /** A rejected image: one announced {@code rejected} deployment per target the model would go to; nothing runs. */
  private void reject(String model, int version, String reference, String digest, String reason, String eventId, Instant now) {
    for (RolloutPolicy.Placement placement : policy.place(model, specs())) {
      TargetSpec target = placement.target();
      deployments.insert(new NewDeployment("rejected-" + model + "-v" + version + "-" + eventId, placement.stage(),
              target.name(), target.kind(), model, version, clip(reference, 500), clip(digest, 80), "push", eventId,
              DeploymentStatus.REJECTED, "image rejected: " + reason), now)
          .ifPresent(d -> {
            events.changed(d.id());
            metrics.rejected();
          });
    }
  }

  /** Releases a deployment that waits for approval. */
  public Deployment approve(long id) {
    return tx.execute(status -> {
      Deployment d = deployments.find(id).orElseThrow(() -> new NoSuchElementException("no deployment " + id));
      if (!deployments.transition(id, DeploymentStatus.AWAITING_APPROVAL, DeploymentStatus.QUEUED, "approved", Instant.now())) {
        throw new IllegalStateException("deployment " + id + " is " + d.status().value() + ", not awaiting_approval");
      }
      wakeRunnerAfterCommit();
      return deployments.find(id).orElseThrow();
    });
  }

  /**
   * Queues a rollback of {@code target} to an earlier version that was deployed before (on this
   * target, or else on any target), through admission again (the trust settings may have changed).
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
    Admission admitted = admission.admit(new ImageCandidate(earlier.modelName(), earlier.modelVersion(),
        earlier.imageReference(), earlier.imageDigest()));
    if (!admitted.admitted()) {
      throw new IllegalStateException("cannot roll back to version " + version + ": its image is rejected now: " + admitted.reason());
    }
    return tx.execute(status -> {
      Instant now = Instant.now();
      Deployment queued = deployments.insert(NewDeployment.of("rollback-" + UUID.randomUUID(), 0, targetName, target.kind(),
              earlier.release(), "rollback", null, DeploymentStatus.QUEUED, "manual rollback to version " + version), now)
          .orElseThrow();
      deployments.cancelWaiting(targetName, earlier.modelName(), queued.id(), "replaced by a manual rollback to version " + version, now);
      wakeRunnerAfterCommit();
      return queued;
    });
  }

  private List<TargetSpec> specs() {
    return targets.all().stream().map(DeploymentTarget::spec).toList();
  }

  /** The event as recorded in {@code processed_event}: under the id of its natural key, whatever id the producer gave it. */
  private static <E extends io.edgeloop.contracts.EdgeloopEvent> ReceivedEvent<E> byNaturalKey(ReceivedEvent<E> event, String id) {
    return new ReceivedEvent<>(id, event.type(), event.source(), event.time(), event.data());
  }

  private static void requireStorable(String modelName) {
    if (modelName.length() > MAX_MODEL_NAME) {
      throw new PoisonEventException("model name longer than " + MAX_MODEL_NAME + " characters: " + clip(modelName, 40));
    }
  }

  private static String clip(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max - 3) + "...";
  }
}
