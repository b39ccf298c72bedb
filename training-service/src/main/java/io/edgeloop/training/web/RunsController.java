package io.edgeloop.training.web;

import io.edgeloop.contracts.RunTrigger;
import io.edgeloop.contracts.DatasetRef;
import io.edgeloop.contracts.TrainingSpec;
import io.edgeloop.security.RequiresRole;
import io.edgeloop.security.Role;
import io.edgeloop.storage.ArtifactStore;
import io.edgeloop.training.run.Run;
import io.edgeloop.training.run.RunRepository;
import io.edgeloop.training.run.RunService;
import io.edgeloop.training.run.RunStatus;
import io.edgeloop.training.snapshot.ProjectSnapshot;
import io.edgeloop.training.snapshot.SnapshotException;
import io.edgeloop.training.tracking.LogLine;
import io.edgeloop.training.tracking.MetricPoint;
import io.edgeloop.training.tracking.TrackingStore;
import io.edgeloop.training.tracking.Trial;
import io.edgeloop.training.trigger.TriggerPolicy;
import io.edgeloop.training.config.TrainingProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Runs: list, show, submit, cancel, metrics (read and log), logs, AutoML trials and artifacts; and project snapshot upload. */
@RestController
@RequestMapping("/api")
@Tag(name = "runs", description = "Runs: submit, cancel, metrics, logs, trials and artifacts")
class RunsController {
  private final RunRepository runs;
  private final RunService service;
  private final TrackingStore tracking;
  private final ArtifactStore store;
  private final TriggerPolicy triggers;
  private final TrainingProperties properties;

  RunsController(RunRepository runs, RunService service, TrackingStore tracking, ArtifactStore store, TriggerPolicy triggers,
      TrainingProperties properties) {
    this.runs = runs;
    this.service = service;
    this.tracking = tracking;
    this.store = store;
    this.triggers = triggers;
    this.properties = properties;
  }

  /** A run in API form. */
  record RunView(String id, String experiment, String trigger, String status, String trainer, String computeTarget,
      List<String> datasets, Long seed, String codeHash, String environment, String phase, String failureReason, String error,
      int attempt, String modelName, Integer modelVersion, Instant requestedAt, Instant startedAt, Instant endedAt) {
    static RunView of(Run r) {
      return new RunView(r.id(), r.experiment(), r.trigger(), r.status().wire(), r.spec().kind(), r.computeTarget(),
          r.datasets().stream().map(DatasetRef::toString).toList(), r.seed(), r.codeHash(), r.environment(), r.phase(),
          r.failureReason(), r.error(), r.attempt(), r.modelName(), r.modelVersion(), r.requestedAt(), r.startedAt(), r.endedAt());
    }
  }

  record RunDetail(RunView run, TrainingSpec spec, Map<String, String> params, Map<String, String> tags, Map<String, Double> metrics) {}

  record SubmitRequest(String experiment, TrainingSpec spec, List<DatasetRef> datasets, String computeTarget) {}

  record Submitted(String runId) {}

  record MetricRequest(String key, Double value, Long step) {}

  @Operation(summary = "List runs, newest first")
  @RequiresRole(Role.VIEWER)
  @GetMapping("/runs")
  List<RunView> list(@RequestParam(required = false) String experiment, @RequestParam(required = false) String status,
      @RequestParam(defaultValue = "50") int limit) {
    return runs.list(experiment, status, Math.min(Math.max(limit, 1), 1000)).stream().map(RunView::of).toList();
  }

  @Operation(summary = "Show a run with its spec, params, tags and latest metrics")
  @RequiresRole(Role.VIEWER)
  @GetMapping("/runs/{id}")
  RunDetail show(@PathVariable String id) {
    Run run = find(id);
    return new RunDetail(RunView.of(run), run.spec(), tracking.params(id), tracking.tags(id), tracking.latestMetrics(id));
  }

  /** Submits a run of a configured experiment; spec, datasets and target default to the experiment's. Answers 202 with the run id. */
  @Operation(summary = "Submit a run of a configured experiment")
  @RequiresRole(Role.SCIENTIST)
  @PostMapping("/runs")
  ResponseEntity<Submitted> submit(@RequestBody SubmitRequest request) {
    if (request.experiment() == null) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "experiment is required");
    }
    String runId = triggers.trigger(request.experiment(), RunTrigger.MANUAL, request.datasets(), request.spec(), request.computeTarget());
    return ResponseEntity.accepted().body(new Submitted(runId));
  }

  @Operation(summary = "Cancel a run")
  @RequiresRole(Role.SCIENTIST)
  @PostMapping("/runs/{id}/cancel")
  Map<String, Object> cancel(@PathVariable String id) {
    boolean accepted = service.cancel(id);
    return Map.of("runId", id, "cancelRequested", accepted, "status", find(id).status().wire());
  }

  @Operation(summary = "A run's metric history")
  @RequiresRole(Role.VIEWER)
  @GetMapping("/runs/{id}/metrics")
  List<MetricPoint> metrics(@PathVariable String id, @RequestParam(required = false) String key) {
    find(id);
    return tracking.metrics(id).stream().filter(p -> key == null || p.key().equals(key)).toList();
  }

  /** The trials of an AutoML run (its child runs): family, params, metrics, score, time, error. */
  @Operation(summary = "An AutoML run's trials")
  @RequiresRole(Role.VIEWER)
  @GetMapping("/runs/{id}/trials")
  List<Trial> trials(@PathVariable String id) {
    find(id);
    return tracking.trials(id);
  }

  /** Logs a metric value from a running script (the alternative to outputs/metrics.jsonl). */
  @Operation(summary = "Log a metric from the running script (its own run token only)")
  @RequiresRole(Role.RUN)
  @PostMapping("/runs/{id}/metrics")
  ResponseEntity<Void> logMetric(@PathVariable String id, @RequestBody MetricRequest metric) {
    Run run = find(id);
    if (run.status() != RunStatus.RUNNING && run.status() != RunStatus.PREPARING) {
      throw new ResponseStatusException(HttpStatus.CONFLICT, "run " + id + " is " + run.status().wire() + ": metrics are logged while it runs");
    }
    if (metric.key() == null || metric.value() == null) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "key and value are required");
    }
    tracking.logMetric(id, metric.key(), metric.value(), metric.step() == null ? 0 : metric.step(), Instant.now());
    return ResponseEntity.noContent().build();
  }

  /** The run log as text ({@code stream: line} per line); {@code after} = the last sequence number seen, for following. */
  @Operation(summary = "A run's log as text")
  @RequiresRole(Role.VIEWER)
  @GetMapping(value = "/runs/{id}/logs", produces = MediaType.TEXT_PLAIN_VALUE)
  String logs(@PathVariable String id, @RequestParam(defaultValue = "0") long after, @RequestParam(defaultValue = "10000") int limit) {
    find(id);
    return tracking.logs(id, after, limit).stream().map(l -> l.line() + "\n").collect(Collectors.joining());
  }

  @Operation(summary = "A run's log as JSON lines with sequence numbers")
  @RequiresRole(Role.VIEWER)
  @GetMapping(value = "/runs/{id}/logs", produces = MediaType.APPLICATION_JSON_VALUE)
  List<LogLine> logsJson(@PathVariable String id, @RequestParam(defaultValue = "0") long after, @RequestParam(defaultValue = "10000") int limit) {
    find(id);
    return tracking.logs(id, after, limit);
  }

  /** Artifact paths of a run (outputs/..., and model/ for its model package). */
  @Operation(summary = "List a run's artifacts")
  @RequiresRole(Role.VIEWER)
  @GetMapping("/runs/{id}/artifacts")
  List<String> artifacts(@PathVariable String id) throws IOException {
    find(id);
    String prefix = "runs/" + id + "/";
    return store.list(prefix).stream().map(k -> k.substring(prefix.length()))
        .filter(k -> k.startsWith("artifacts/") || k.startsWith("model/"))
        .map(k -> k.startsWith("artifacts/") ? k.substring("artifacts/".length()) : k).toList();
  }

  @Operation(summary = "Download one artifact of a run")
  @RequiresRole(Role.VIEWER)
  @GetMapping("/runs/{id}/artifacts/**")
  ResponseEntity<byte[]> artifact(@PathVariable String id, HttpServletRequest request) throws IOException {
    find(id);
    String path = request.getRequestURI().substring(request.getRequestURI().indexOf("/artifacts/") + "/artifacts/".length());
    path = java.net.URLDecoder.decode(path, java.nio.charset.StandardCharsets.UTF_8);
    String key = path.startsWith("model/") ? "runs/" + id + "/" + path : "runs/" + id + "/artifacts/" + path;
    try {
      ArtifactStore.requireValidKey(key);
      return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(store.readBytes(key));
    } catch (IllegalArgumentException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
    } catch (NoSuchFileException e) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no artifact " + path + " in run " + id);
    }
  }

  /** Uploads a project snapshot (a zip); answers its id for {@code settings.snapshot}. */
  @Operation(summary = "Upload a project snapshot (zip) for script runs", tags = "snapshots")
  @RequiresRole(Role.SCIENTIST)
  @PostMapping(value = "/snapshots", consumes = {"application/zip", MediaType.APPLICATION_OCTET_STREAM_VALUE})
  Map<String, Object> upload(@RequestBody byte[] zip) throws IOException {
    try {
      ProjectSnapshot snapshot = ProjectSnapshot.ofArchive(zip, properties.maxSnapshotBytes());
      store.putBytes("snapshots/" + snapshot.hash() + ".zip", zip);
      return Map.of("snapshot", snapshot.hash(), "files", snapshot.files(), "bytes", snapshot.bytes());
    } catch (SnapshotException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.reason() + ": " + e.getMessage());
    }
  }

  private Run find(String id) {
    return runs.find(id).orElseThrow(() -> new RunService.NoSuchRunException(id));
  }
}
