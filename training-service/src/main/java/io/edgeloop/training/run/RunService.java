package io.edgeloop.training.run;

import io.edgeloop.contracts.RunFailureReason;
import io.edgeloop.contracts.RunPhase;
import io.edgeloop.contracts.RunFailed;
import io.edgeloop.contracts.RunRequested;
import io.edgeloop.contracts.TrainingSpec;
import io.edgeloop.training.config.TrainingProperties;
import io.edgeloop.messaging.outbox.Outbox;
import io.edgeloop.training.tracking.TrackingStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Accepts run requests (from any source), cancels runs, and ends them with their RunFailed event in one transaction. */
@Service
public class RunService {
  private static final Logger log = LoggerFactory.getLogger(RunService.class);
  private final RunRepository runs;
  private final TrackingStore tracking;
  private final Outbox outbox;
  private final TransactionTemplate tx;
  private final TrainingProperties properties;
  private final RunMetrics metrics;
  private final Set<String> cancelRequests = ConcurrentHashMap.newKeySet();

  public RunService(
      RunRepository runs, TrackingStore tracking, Outbox outbox, TransactionTemplate tx, TrainingProperties properties, RunMetrics metrics) {
    this.runs = runs;
    this.tracking = tracking;
    this.outbox = outbox;
    this.tx = tx;
    this.properties = properties;
    this.metrics = metrics;
  }

  /**
   * Queues the requested run, once per run id (redeliveries are ignored). A request without spec or
   * compute target takes the experiment's configured ones; an unknown experiment without a spec fails.
   */
  public void accept(RunRequested request) {
    Optional<TrainingProperties.Experiment> experiment = properties.experiment(request.experiment());
    TrainingSpec spec = request.spec() != null ? request.spec() : experiment.map(TrainingProperties.Experiment::trainingSpec).orElse(null);
    String target =
        request.computeTarget() != null ? request.computeTarget() : experiment.map(TrainingProperties.Experiment::computeTarget).orElse("local");
    TrainingSpec stored = spec == null ? new TrainingSpec("unknown", Map.of()) : spec;
    long seed = stored.settings().get("seed") instanceof Number n ? n.longValue() : 42L;
    boolean inserted = tx.execute(s -> runs.insertQueued(request, stored, target, seed));
    if (!inserted) {
      log.info("run {} already known, ignoring the redelivered request", request.runId());
      return;
    }
    log.info("run {} queued for experiment {} ({} trigger, {} on {})", request.runId(), request.experiment(), request.trigger().wire(), stored.kind(), target);
    if (spec == null) {
      fail(request.runId(), new RunFailure(RunPhase.PREPARING, RunFailureReason.UNKNOWN_EXPERIMENT,
          "experiment '" + request.experiment() + "' is not configured here and the request carries no spec"));
    }
  }

  /** Asks a run to stop: a queued run is canceled at once, a running one at its next check. */
  public boolean cancel(String runId) {
    Run run = runs.find(runId).orElseThrow(() -> new NoSuchRunException(runId));
    if (run.status().isTerminal() || !runs.requestCancel(runId)) {
      return false;
    }
    cancelRequests.add(runId);
    if (run.status() == RunStatus.QUEUED) {
      fail(runId, new RunFailure(RunPhase.QUEUED, RunFailureReason.CANCELED, "run canceled"));
    }
    return true;
  }

  public boolean cancelRequested(String runId) {
    return cancelRequests.contains(runId);
  }

  /** Notes a cancel request stored by another instance for a run that this instance executes. */
  void cancelSeen(String runId) {
    cancelRequests.add(runId);
  }

  /**
   * Ends a run as failed (or canceled when the reason is {@code canceled}) and adds RunFailed to the
   * outbox in the same transaction; returns false when the run had already ended.
   */
  public boolean fail(String runId, RunFailure failure) {
    return fail(runId, failure, null);
  }

  /** Like {@link #fail(String, RunFailure)}, only while {@code owner} (when given) still owns the run. */
  public boolean fail(String runId, RunFailure failure, String owner) {
    Run run = runs.find(runId).orElseThrow(() -> new NoSuchRunException(runId));
    RunStatus status = failure.reason() == RunFailureReason.CANCELED ? RunStatus.CANCELED : RunStatus.FAILED;
    String error = failure.getMessage();
    if (failure.reason() == RunFailureReason.EXIT_CODE || failure.reason() == RunFailureReason.TIMEOUT) {
      List<String> tail = tracking.tail(runId, 20);
      if (!tail.isEmpty()) {
        error = error + "; last log lines:\n" + String.join("\n", tail);
      }
    }
    String message = error;
    boolean ended =
        Boolean.TRUE.equals(
            tx.execute(s -> {
              if (!runs.end(runId, status, failure.phase().wire(), failure.reason().wire(), message, owner)) {
                return false;
              }
              outbox.add(new RunFailed(runId, run.experiment(), failure.phase(), failure.reason(), message, Instant.now()));
              return true;
            }));
    if (ended) {
      cancelRequests.remove(runId);
      log.warn("run {} {} in {}: {} ({})", runId, status.wire(), failure.phase().wire(), failure.reason().wire(), failure.getMessage());
      metrics.ended(status, run.startedAt() == null ? null : Duration.between(run.startedAt(), Instant.now()));
    }
    return ended;
  }

  /** The run does not exist. */
  public static class NoSuchRunException extends RuntimeException {
    public NoSuchRunException(String runId) {
      super("no run " + runId);
    }
  }
}
