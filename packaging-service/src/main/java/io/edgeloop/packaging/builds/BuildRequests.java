package io.edgeloop.packaging.builds;

import io.edgeloop.contracts.ModelPromoted;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.contracts.ReceivedEvent;
import io.edgeloop.messaging.dedupe.ProcessedEvents;
import io.edgeloop.packaging.config.PackagingProperties;
import io.edgeloop.packaging.image.ImageLabels;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns consumed events into builds, once per event (deduplicated on its id in the transaction that
 * records the build): {@code ModelTrained} queues the version (or records it skipped by policy),
 * {@code ModelPromoted} to champion queues a version that the promoted-only policy skipped (and
 * marks an open build promoted). The builds themselves run apart from the consumer
 * ({@link BuildWorker}), so a long build never holds up the partition.
 */
public final class BuildRequests {
  private static final Logger log = LoggerFactory.getLogger(BuildRequests.class);

  private final PackagingProperties properties;
  private final BuildRepository builds;
  private final ProcessedEvents processed;
  private final TransactionTemplate tx;
  private final BuildMetrics metrics;
  private final Runnable wakeUp;

  /** @param wakeUp asks the worker to look for builds now */
  public BuildRequests(PackagingProperties properties, BuildRepository builds, ProcessedEvents processed,
      TransactionTemplate tx, BuildMetrics metrics, Runnable wakeUp) {
    this.properties = properties;
    this.builds = builds;
    this.processed = processed;
    this.tx = tx;
    this.metrics = metrics;
    this.wakeUp = wakeUp;
  }

  public void onModelTrained(ReceivedEvent<ModelTrained> event) {
    ModelTrained model = event.data();
    boolean skip = properties.policy() == PackagingProperties.Policy.PROMOTED_ONLY && !model.promoted();
    BuildStatus wanted = skip ? BuildStatus.SKIPPED : BuildStatus.QUEUED;
    Optional<BuildStatus> stored = tx.execute(status -> {
      if (!processed.firstDelivery(event)) {
        return Optional.<BuildStatus>empty();
      }
      return builds.insert(model, wanted, skip ? "not promoted, and edgeloop.packaging.policy is promoted-only" : null,
          ImageLabels.reference(properties.registry(), properties.repositoryPrefix(), model),
          ImageLabels.of(model, properties.sourceUrl()), model.promoted() ? List.of(ModelPromoted.CHAMPION) : List.of());
    });
    if (stored == null || stored.isEmpty()) {
      log.info("{} version {}: already recorded, nothing to do", model.modelName(), model.modelVersion());
      return;
    }
    if (stored.get() == BuildStatus.SKIPPED) {
      metrics.result("skipped");
      log.info("{} version {} is not promoted: not packaged (policy promoted-only)", model.modelName(), model.modelVersion());
      return;
    }
    log.info("{} version {}: build queued", model.modelName(), model.modelVersion());
    wakeUp.run();
  }

  public void onModelPromoted(ReceivedEvent<ModelPromoted> event) {
    ModelPromoted promoted = event.data();
    if (!promoted.promotesChampion()) {
      return;
    }
    BuildStatus after = tx.execute(status -> processed.firstDelivery(event)
        ? builds.promote(promoted.modelName(), promoted.modelVersion(), promoted.alias())
        : null);
    if (after == null) {
      return;
    }
    log.info("{} version {} promoted to {}: build {}", promoted.modelName(), promoted.modelVersion(), promoted.alias(), after.id());
    if (after == BuildStatus.QUEUED) {
      wakeUp.run();
    }
  }
}
