package io.edgeloop.training.run;

import io.edgeloop.contracts.RunFailureReason;
import io.edgeloop.contracts.RunPhase;
import io.edgeloop.contracts.RunFailed;
import io.edgeloop.contracts.RunRequested;
import io.edgeloop.contracts.TrainingSpec;
import io.edgeloop.training.config.TrainingProperties;
import io.edgeloop.messaging.outbox.Outbox;
import io.edgeloop.training.secret.RunSecrets;
import io.edgeloop.training.secret.ScriptEnv;
import io.edgeloop.training.tracking.TrackingStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Queues run requests (this service's own, and those of other systems, which it trusts less), cancels
 * runs, and ends them with their RunFailed event in one transaction.
 */
@Service
public class RunService {
  private static final Logger log = LoggerFactory.getLogger(RunService.class);
  private final RunRepository runs;
  private final TrackingStore tracking;
  private final Outbox outbox;
  private final TransactionTemplate tx;
  private final TrainingProperties properties;
  private final RunMetrics metrics;
  private final RunSecrets secrets;
  private final Set<String> cancelRequests = ConcurrentHashMap.newKeySet();

  public RunService(
      RunRepository runs, TrackingStore tracking, Outbox outbox, TransactionTemplate tx, TrainingProperties properties, RunMetrics metrics,
      RunSecrets secrets) {
    this.runs = runs;
    this.tracking = tracking;
    this.outbox = outbox;
    this.tx = tx;
    this.properties = properties;
    this.metrics = metrics;
    this.secrets = secrets;
  }

  /**
   * Queues a run that this service requests itself (REST API, trigger policy, schedule) and adds its
   * RunRequested to the outbox, in the caller's transaction: the run row exists before the event does,
   * which is how {@link #accept} tells this service's requests from other systems'. Secret values given
   * inline in {@code settings.env} are sealed into {@code run_secret} and replaced by a marker in the
   * stored spec and in the event. Returns the event as announced. Throws {@link InvalidRunRequestException}
   * for a malformed {@code settings.env}.
   */
  public RunRequested request(RunRequested request) {
    TrainingSpec spec = Objects.requireNonNull(request.spec(), "a requested run names its spec");
    ScriptEnv.Redacted redacted;
    try {
      List<ScriptEnv.Entry> entries = ScriptEnv.parse(spec.settings().get(ScriptEnv.KEY));
      entries.stream().filter(e -> e.redacted() && !e.inlineSecret()).findFirst().ifPresent(e -> {
        throw new IllegalArgumentException("settings.env: secret " + e.name() + " needs a value or a secretRef");
      });
      redacted = ScriptEnv.redact(spec.settings());
    } catch (IllegalArgumentException e) {
      throw new InvalidRunRequestException(e.getMessage());
    }
    TrainingSpec stored = new TrainingSpec(spec.kind(), redacted.settings());
    RunRequested event = new RunRequested(request.runId(), request.experiment(), request.trigger(), request.datasets(), stored,
        request.computeTarget(), request.requestedAt());
    tx.executeWithoutResult(s -> {
      if (!runs.insertQueued(event, stored, event.computeTarget(), seed(stored))) {
        throw new IllegalStateException("run id " + event.runId() + " is taken");
      }
      redacted.secrets().forEach((name, value) -> secrets.store(event.runId(), name, value));
      outbox.add(event);
    });
    return event;
  }

  /**
   * Queues a run requested on {@code edgeloop.run-requested}, once per run id: the runs this service
   * requested itself exist already (see {@link #request}), so what is new here came from another system.
   * Such a request without spec or compute target takes the experiment's configured ones; one carrying a
   * {@code script} spec is refused ({@code script_not_allowed}) unless its experiment allows external
   * scripts, and one carrying secret values is refused ({@code invalid_spec}: they would be in the
   * event log already; use {@code secretRef}); an unknown experiment without a spec fails. A refused run
   * is recorded as failed, and nothing of it runs.
   */
  public void accept(RunRequested request) {
    Optional<TrainingProperties.Experiment> experiment = properties.experiment(request.experiment());
    TrainingSpec spec = request.spec() != null ? request.spec() : experiment.map(TrainingProperties.Experiment::trainingSpec).orElse(null);
    String target =
        request.computeTarget() != null ? request.computeTarget() : experiment.map(TrainingProperties.Experiment::computeTarget).orElse("local");
    TrainingSpec stored = spec == null ? new TrainingSpec("unknown", Map.of()) : spec;
    RunFailure refusal = null;
    if (request.spec() != null && "script".equals(request.spec().kind())
        && !experiment.map(TrainingProperties.Experiment::allowExternalScripts).orElse(false)) {
      refusal = new RunFailure(RunPhase.QUEUED, RunFailureReason.SCRIPT_NOT_ALLOWED, "experiment '" + request.experiment()
          + "' does not accept script runs from other systems (edgeloop.training.experiments[].allow-external-scripts)");
    }
    try {
      ScriptEnv.Redacted redacted = ScriptEnv.redact(stored.settings());
      stored = new TrainingSpec(stored.kind(), redacted.settings());
      if (refusal == null && !redacted.secrets().isEmpty()) {
        refusal = new RunFailure(RunPhase.QUEUED, RunFailureReason.INVALID_SPEC,
            "a run requested by another system cannot carry secret values (they are in the event log now); use secretRef");
      }
    } catch (IllegalArgumentException e) {
      stored = new TrainingSpec(stored.kind(), ScriptEnv.withoutEnv(stored.settings()));
      refusal = refusal != null ? refusal : new RunFailure(RunPhase.QUEUED, RunFailureReason.INVALID_SPEC, e.getMessage());
    }
    if (refusal == null && spec == null) {
      refusal = new RunFailure(RunPhase.PREPARING, RunFailureReason.UNKNOWN_EXPERIMENT,
          "experiment '" + request.experiment() + "' is not configured here and the request carries no spec");
    }
    TrainingSpec toStore = stored;
    RunFailure refused = refusal;
    boolean inserted = Boolean.TRUE.equals(tx.execute(s -> {
      if (!runs.insertQueued(request, toStore, target, seed(toStore))) {
        return false;
      }
      if (refused != null) {
        fail(request.runId(), refused); // in this transaction: no instance can claim the run before it is failed
      }
      return true;
    }));
    if (!inserted) {
      log.info("run {} already known, ignoring the request", request.runId());
    } else if (refused == null) {
      log.info("run {} queued for experiment {} ({} trigger from another system, {} on {})", request.runId(), request.experiment(),
          request.trigger().wire(), toStore.kind(), target);
    }
  }

  private static long seed(TrainingSpec spec) {
    return spec.settings().get("seed") instanceof Number n ? n.longValue() : 42L;
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

  /** A run request is malformed (for the caller: HTTP 400). */
  public static class InvalidRunRequestException extends IllegalArgumentException {
    public InvalidRunRequestException(String message) {
      super(message);
    }
  }

  /** The run does not exist. */
  public static class NoSuchRunException extends RuntimeException {
    public NoSuchRunException(String runId) {
      super("no run " + runId);
    }
  }
}
