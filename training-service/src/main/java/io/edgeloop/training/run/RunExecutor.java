package io.edgeloop.training.run;

import io.edgeloop.contracts.RunFailureReason;
import io.edgeloop.contracts.RunPhase;
import io.edgeloop.contracts.WireValues;
import io.edgeloop.contracts.DatasetRef;
import io.edgeloop.contracts.Lineage;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.modelpackage.ModelPackages;
import io.edgeloop.modelpackage.Provenance;
import io.edgeloop.modelpackage.Task;
import io.edgeloop.security.token.ApiTokens;
import io.edgeloop.security.token.IssuedToken;
import io.edgeloop.storage.ArtifactStore;
import io.edgeloop.training.compute.ComputeTarget;
import io.edgeloop.training.compute.ComputeTargets;
import io.edgeloop.training.config.TrainingProperties;
import io.edgeloop.training.dataset.DatasetCatalog;
import io.edgeloop.training.dataset.DatasetVersion;
import io.edgeloop.training.registry.ModelRegistry;
import io.edgeloop.training.registry.ModelVersion;
import io.edgeloop.training.registry.Registration;
import io.edgeloop.training.tracking.TrackingStore;
import io.edgeloop.training.tracking.Trial;
import io.edgeloop.training.trainer.RunTracker;
import io.edgeloop.training.trainer.Trainer;
import io.edgeloop.training.trainer.TrainerContext;
import io.edgeloop.training.trainer.TrainerResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Executes queued runs: claims them per compute target up to its concurrency limit (per instance),
 * then drives each through preparing -> running -> exporting -> registering. Several instances may
 * share the database: a claimed run is owned by this instance ({@code instanceId}) and leased; a
 * heartbeat renews the leases of the runs executing here every third of {@code lease}. Runs whose
 * lease expired (their instance died) are recovered at start and by every heartbeat: queued again
 * (same run id, next attempt) until {@code maxAttempts}, then failed with reason {@code interrupted},
 * so no run stays running forever and no live instance's run is taken. Each attempt gets its own run token (the only
 * credential that may post the run's metrics), revoked when the attempt ends; recovery revokes a dead attempt's.
 */
@Component
public class RunExecutor implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(RunExecutor.class);
  private static final Duration RUN_TOKEN_GRACE = Duration.ofHours(1);
  /** How often a run waiting for its dataset versions looks for them. */
  private static final Duration DATASET_POLL = Duration.ofMillis(500);
  private final RunRepository runs;
  private final RunService service;
  private final DatasetCatalog catalog;
  private final TrackingStore tracking;
  private final ModelRegistry registry;
  private final ArtifactStore store;
  private final ComputeTargets targets;
  private final Map<String, Trainer> trainers;
  private final TrainingProperties properties;
  private final TransactionTemplate tx;
  private final RunMetrics metrics;
  private final ApiTokens tokens;
  private final String owner;
  private final Duration lease;
  /** Runs executing in this process, and those among them whose lease another instance took over. */
  private final Set<String> executing = ConcurrentHashMap.newKeySet();
  private final Set<String> lostLeases = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService poller;
  private ExecutorService workers;

  public RunExecutor(
      RunRepository runs,
      RunService service,
      DatasetCatalog catalog,
      TrackingStore tracking,
      ModelRegistry registry,
      ArtifactStore store,
      ComputeTargets targets,
      List<Trainer> trainers,
      TrainingProperties properties,
      TransactionTemplate tx,
      RunMetrics metrics,
      ApiTokens tokens) {
    this.runs = runs;
    this.service = service;
    this.catalog = catalog;
    this.tracking = tracking;
    this.registry = registry;
    this.store = store;
    this.targets = targets;
    this.trainers = trainers.stream().collect(Collectors.toMap(Trainer::kind, Function.identity()));
    this.properties = properties;
    this.tx = tx;
    this.metrics = metrics;
    this.tokens = tokens;
    this.owner = properties.instanceId();
    this.lease = properties.lease();
  }

  @Override
  public void start() {
    log.info("instance {}: run leases of {}", owner, lease);
    recover(true);
    workers = Executors.newCachedThreadPool(r -> new Thread(r, "run-worker"));
    poller = Executors.newScheduledThreadPool(3, r -> new Thread(r, "run-poller"));
    long every = properties.pollInterval().toMillis();
    poller.scheduleWithFixedDelay(this::pollSafely, every, every, TimeUnit.MILLISECONDS);
    long beat = Math.max(1, lease.toMillis() / 3);
    poller.scheduleWithFixedDelay(this::heartbeatSafely, beat, beat, TimeUnit.MILLISECONDS);
    // Apart from the heartbeat: cleaning up a dead instance's containers must not delay our own lease renewals.
    poller.scheduleWithFixedDelay(this::recoverSafely, beat, beat, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    poller.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    poller = null;
  }

  @Override
  public boolean isRunning() {
    return poller != null;
  }

  /**
   * Requeues (or fails) runs left preparing/running by an instance that died: those whose lease
   * expired, and at start ({@code atStart}) those of this instance id's previous process. Each run is
   * first taken over (a conditional update), so of several instances only one recovers it.
   */
  void recover(boolean atStart) {
    for (Run orphan : runs.orphaned(owner, atStart)) {
      if (!runs.takeOver(orphan.id(), owner, atStart, lease)) {
        continue;
      }
      Run run = runs.find(orphan.id()).orElseThrow();
      tokens.revokeRunTokens(run.id());
      try {
        targets.find(run.computeTarget()).ifPresent(t -> t.cleanUp(run.id()));
      } catch (RuntimeException e) {
        log.warn("could not clean up what is left of run {} on {}: {}", run.id(), run.computeTarget(), e.toString());
      }
      if (run.attempt() < properties.maxAttempts() && !run.cancelRequested()) {
        runs.requeue(run.id(), owner);
        tracking.appendLog(run.id(), "system", List.of("service restarted during attempt " + run.attempt() + ": run queued again"));
        log.warn("run {} was {} when its instance {} stopped: queued again (attempt {} of {})",
            run.id(), run.status().wire(), orphan.owner(), run.attempt() + 1, properties.maxAttempts());
      } else {
        service.fail(run.id(), new RunFailure(WireValues.parse(RunPhase.class, run.status().wire()), RunFailureReason.INTERRUPTED,
            "the service stopped during the run " + run.attempt() + " time(s); giving up"), owner);
      }
    }
  }

  private void heartbeatSafely() {
    try {
      heartbeat();
    } catch (RuntimeException e) {
      log.warn("run heartbeat failed: {}", e.toString());
    }
  }

  private void recoverSafely() {
    try {
      recover(false);
    } catch (RuntimeException e) {
      log.warn("recovery of expired runs failed: {}", e.toString());
    }
  }

  /**
   * Renews the leases of the runs executing here, passes on cancel requests stored by other instances,
   * and stops runs whose lease another instance took over (this one was presumed dead).
   */
  void heartbeat() {
    Map<String, Boolean> renewed = runs.renewLeases(owner, lease);
    renewed.forEach((id, cancel) -> {
      if (cancel) {
        service.cancelSeen(id);
      }
    });
    for (String id : executing) {
      if (!renewed.containsKey(id)) {
        runs.find(id).filter(r -> !r.status().isTerminal() && !owner.equals(r.owner())).ifPresent(r -> {
          log.warn("run {}: lease lost to {}, stopping this attempt", id, r.owner());
          lostLeases.add(id);
        });
      }
    }
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      log.warn("run poll failed: {}", e.toString());
    }
  }

  void poll() {
    for (String id : runs.queuedOutside(targets.all().keySet())) {
      Run run = runs.find(id).orElseThrow();
      service.fail(id, new RunFailure(RunPhase.QUEUED, RunFailureReason.UNKNOWN_COMPUTE_TARGET,
          "compute target '" + run.computeTarget() + "' is not configured; targets: " + targets.all().keySet()));
    }
    for (String target : targets.all().keySet()) {
      while (runs.countActive(target, owner) < targets.limit(target)) {
        var claimed = runs.claimNext(target, owner, lease);
        if (claimed.isEmpty()) {
          break;
        }
        executing.add(claimed.get());
        workers.execute(() -> execute(claimed.get()));
      }
    }
    metrics.statusCounts(runs.countByStatus());
  }

  void execute(String runId) {
    try {
      attempt(runId);
    } finally {
      executing.remove(runId);
      lostLeases.remove(runId);
    }
  }

  private void attempt(String runId) {
    Run run = runs.find(runId).orElseThrow();
    RunPhase[] phase = {RunPhase.PREPARING};
    Path workDir = properties.workDir().resolve(runId).resolve("attempt-" + run.attempt()).toAbsolutePath();
    IssuedToken runToken = null;
    try {
      log.info("run {} preparing (attempt {})", runId, run.attempt());
      deleteTree(workDir);
      Files.createDirectories(workDir);
      Trainer trainer = trainers.get(run.spec().kind());
      if (trainer == null) {
        throw new RunFailure(RunPhase.PREPARING, RunFailureReason.UNKNOWN_TRAINER, "no trainer '" + run.spec().kind() + "'; trainers: " + trainers.keySet());
      }
      ComputeTarget compute = targets.find(run.computeTarget()).orElseThrow();
      List<DatasetVersion> datasets = resolve(run);
      List<String> unknown = SpecColumns.unknown(run.spec().settings(), datasets);
      if (!unknown.isEmpty()) {
        throw new RunFailure(RunPhase.PREPARING, RunFailureReason.UNKNOWN_COLUMN, "the spec names column(s) " + unknown + " that the dataset does not have; columns: "
            + datasets.get(datasets.size() - 1).schema().stream().map(c -> c.name()).toList());
      }
      tracking.logParams(runId, params(run));
      tracking.setTags(runId, Map.of("trainer", trainer.kind(), "compute", compute.name(), "trigger", run.trigger()));
      // Outlives the run's time limit by the preparing and exporting phases at most; revoked when the attempt ends anyway.
      runToken = tokens.issueRunToken(runId, Instant.now().plus(timeout(run)).plus(RUN_TOKEN_GRACE));
      TrainerContext context = new TrainerContext(run, modelName(run), run.spec().settings(), datasets, workDir, compute, timeout(run),
          () -> service.cancelRequested(runId) || lostLeases.contains(runId), tracker(runId), runToken.token());
      Trainer.PreparedRun prepared = trainer.prepare(context);
      runs.recordReproducibility(runId, prepared.codeHash(), null);
      if (!runs.transition(runId, RunStatus.PREPARING, RunStatus.RUNNING, owner)) {
        log.info("run {} ended or changed owner while preparing (canceled?)", runId);
        return;
      }
      phase[0] = RunPhase.RUNNING;
      log.info("run {} running on {}", runId, compute.name());
      TrainerResult result = prepared.execute();
      if (lostLeases.contains(runId)) {
        log.warn("run {}: attempt {} abandoned, another instance recovered the run", runId, run.attempt());
        return;
      }
      if (service.cancelRequested(runId)) {
        throw new RunFailure(RunPhase.RUNNING, RunFailureReason.CANCELED, "run canceled");
      }
      phase[0] = RunPhase.EXPORTING;
      ModelVersion version = collectAndRegister(runs.find(runId).orElseThrow(), datasets, result);
      log.info("run {} completed: {} v{} ({})", runId, version.name(), version.version(), version.promoted() ? "promoted" : "not promoted");
    } catch (RunFailure failure) {
      service.fail(runId, failure, owner);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("run {} interrupted by shutdown in {}: it is recovered at the next start", runId, phase[0]);
    } catch (Exception e) {
      log.error("run {} failed in {}", runId, phase[0], e);
      service.fail(runId, new RunFailure(phase[0], RunFailureReason.INTERNAL_ERROR, e.toString()), owner);
    } finally {
      if (runToken != null) {
        revoke(runId, runToken);
      }
      if (!Thread.currentThread().isInterrupted()) {
        deleteTree(workDir);
      }
    }
  }

  /** Revokes this attempt's token only: after a lost lease, another instance's attempt has its own. */
  private void revoke(String runId, IssuedToken runToken) {
    try {
      tokens.revoke(runToken.id());
    } catch (RuntimeException e) {
      log.warn("run {}: could not revoke its run token (it expires at {}): {}", runId, runToken.expiresAt(), e.toString());
    }
  }

  private ModelVersion collectAndRegister(Run run, List<DatasetVersion> datasets, TrainerResult result) throws IOException, RunFailure {
    String prefix = "runs/" + run.id();
    if (result.artifactsDir() != null && Files.isDirectory(result.artifactsDir())) {
      store.uploadAll(result.artifactsDir(), prefix + "/artifacts/outputs");
    }
    result.metrics().forEach((k, v) -> tracking.logMetric(run.id(), k, v, 0, Instant.now()));
    Map<String, Double> finalMetrics = tracking.latestMetrics(run.id());
    if (!finalMetrics.containsKey(result.primaryMetric())) {
      throw new RunFailure(RunPhase.EXPORTING, RunFailureReason.MISSING_METRIC,
          "primary metric '" + result.primaryMetric() + "' was not logged; metrics: " + finalMetrics.keySet());
    }
    String modelName = modelName(run);
    byte[] onnx = Files.readAllBytes(result.onnxFile());
    ModelManifest manifest = result.manifest() != null ? result.manifest() : manifest(run, modelName, datasets, result, finalMetrics);
    Path packageDir = result.onnxFile().getParent().resolveSibling("package-" + run.id());
    ModelManifest written = ModelPackages.write(packageDir, manifest, onnx);
    store.uploadAll(packageDir, prefix + "/model");
    String onnxUri = store.uri(prefix + "/model/" + ModelPackages.ONNX_FILE).toString();
    String packageUri = store.uri(prefix + "/model").toString();
    Lineage lineage = new Lineage(run.id(), run.datasets(), runs.find(run.id()).orElseThrow().codeHash());
    Map<String, String> tags = new LinkedHashMap<>(tracking.tags(run.id()));
    tags.put("experiment", run.experiment());
    Registration registration = new Registration(modelName, run.id(), run.experiment(), null, tags,
        Map.of("trainer", run.spec().kind(), "seed", String.valueOf(run.seed())), finalMetrics, result.primaryMetric(), onnxUri,
        written.onnxSha256(), packageUri, result.signature(), lineage);
    ModelVersion version =
        tx.execute(s -> {
          ModelVersion v = registry.register(registration);
          tracking.setTags(run.id(), Map.of(ModelRegistry.GATE_TAG, v.tags().get(ModelRegistry.GATE_TAG)));
          if (!runs.complete(run.id(), modelName, v.version(), owner)) {
            throw new IllegalStateException("run " + run.id() + " is no longer running here; registration rolled back");
          }
          return v;
        });
    metrics.registered(modelName, version.promoted(), result.primaryMetric(), finalMetrics.get(result.primaryMetric()));
    metrics.ended(RunStatus.COMPLETED, run.startedAt() == null ? null : Duration.between(run.startedAt(), Instant.now()));
    return version;
  }

  private ModelManifest manifest(Run run, String modelName, List<DatasetVersion> datasets, TrainerResult result, Map<String, Double> finalMetrics) {
    Provenance provenance = new Provenance(
        datasets.stream().map(d -> new Provenance.DatasetHash(d.ref(), d.sha256())).toList(),
        run.spec().settings(),
        run.seed() == null ? 0 : run.seed(),
        Map.of("edgeloop-training", String.valueOf(RunExecutor.class.getPackage().getImplementationVersion())),
        Map.of("os", System.getProperty("os.name"), "arch", System.getProperty("os.arch"), "java", System.getProperty("java.version")));
    return new ModelManifest(modelName, 0, Task.valueOf(result.task().toUpperCase(java.util.Locale.ROOT)), null, null, result.signature(), null,
        finalMetrics, result.primaryMetric(), provenance, null);
  }

  private String modelName(Run run) {
    if (run.spec().settings().get("modelName") instanceof String name) {
      return name;
    }
    return properties.experiment(run.experiment()).map(TrainingProperties.Experiment::model).orElse(run.experiment());
  }

  /**
   * The run's dataset versions. A version that ingest has announced may not have reached this
   * service yet (its {@code DataLanded} is still on its way, or the broker is briefly away): a client
   * that submits as soon as ingest lists the version must not get a failed run for it, so the run
   * waits in {@code preparing} until {@code dataset-wait} after it was requested, then fails
   * {@code unknown_dataset}.
   */
  private List<DatasetVersion> resolve(Run run) throws RunFailure, InterruptedException {
    List<DatasetRef> refs = run.datasets();
    if (refs.isEmpty()) {
      throw new RunFailure(RunPhase.PREPARING, RunFailureReason.NO_DATA, "the run names no dataset versions");
    }
    Instant deadline = (run.createdAt() == null ? Instant.now() : run.createdAt()).plus(properties.datasetWait());
    boolean waited = false;
    while (true) {
      try {
        return catalog.resolve(refs);
      } catch (DatasetCatalog.UnknownDatasetException e) {
        if (service.cancelRequested(run.id())) {
          throw new RunFailure(RunPhase.PREPARING, RunFailureReason.CANCELED, "run canceled while waiting for its data: " + e.getMessage());
        }
        if (lostLeases.contains(run.id()) || !Instant.now().isBefore(deadline)) {
          throw new RunFailure(RunPhase.PREPARING, RunFailureReason.UNKNOWN_DATASET,
              e.getMessage() + (waited ? " (waited until " + properties.datasetWait() + " after the request)" : ""));
        }
        if (!waited) {
          log.info("run {} waits up to {} after its request for its dataset versions to land here: {}", run.id(),
              properties.datasetWait(), e.getMessage());
          waited = true;
        }
        Thread.sleep(DATASET_POLL.toMillis());
      }
    }
  }

  private Duration timeout(Run run) {
    return run.spec().settings().get("timeoutSeconds") instanceof Number n ? Duration.ofMillis((long) (n.doubleValue() * 1000)) : properties.runTimeout();
  }

  private Map<String, String> params(Run run) {
    Map<String, String> params = new LinkedHashMap<>();
    run.spec().settings().forEach((k, v) -> params.put("spec." + k, String.valueOf(v)));
    params.put("trainer", run.spec().kind());
    params.put("compute", run.computeTarget());
    params.put("seed", String.valueOf(run.seed()));
    params.put("datasets", run.datasets().stream().map(DatasetRef::toString).collect(Collectors.joining(",")));
    return params;
  }

  private RunTracker tracker(String runId) {
    return new RunTracker() {
      @Override
      public synchronized void line(String stream, String line) {
        tracking.appendLog(runId, stream, List.of(line));
      }

      @Override
      public void metric(String key, double value, long step) {
        tracking.logMetric(runId, key, value, step, Instant.now());
      }

      @Override
      public void params(Map<String, String> params) {
        tracking.logParams(runId, params);
      }

      @Override
      public void tags(Map<String, String> tags) {
        tracking.setTags(runId, tags);
      }

      @Override
      public void environment(String environment) {
        runs.recordReproducibility(runId, null, environment);
      }

      @Override
      public void trial(Trial trial) {
        tracking.recordTrial(runId, trial);
      }
    };
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.debug("cannot delete {}: {}", dir, e.toString());
    }
  }
}
