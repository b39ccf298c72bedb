package io.edgeloop.training.config;

import io.edgeloop.contracts.TrainingSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the training-service ({@code edgeloop.training.*}).
 *
 * @param experiments experiments that new data retrains automatically (and that manual triggers name)
 * @param compute compute targets by name; {@code local} (this host) exists even when not listed
 * @param workDir where runs prepare their workspace (default {@code ${edgeloop.data-dir}/training/runs})
 * @param runTimeout default wall-clock limit of one run (default 30m); a spec's {@code timeoutSeconds} overrides it
 * @param maxSnapshotBytes largest project snapshot accepted (default 50 MB)
 * @param maxAttempts how often a run interrupted by a crash is started again before it fails (default 2)
 * @param pollInterval how often the scheduler looks for queued runs, due triggers and pending outbox rows (default 500ms)
 * @param promotionMargin how much better (relative, on the primary metric) a challenger must be to replace the champion (default 0.0 = strictly better)
 * @param instanceId this instance's name as owner of the runs it executes; must be unique among live instances
 *     sharing the database (default: host name + random suffix). A stable id (e.g. a pod name) lets a restarted
 *     instance recover its own interrupted runs at once instead of waiting for their lease to expire
 * @param lease how long a run stays owned by its instance without a heartbeat (default 30s); the owner renews it
 *     every third of it, and other instances recover runs whose lease expired
 * @param projectRoots folders a script run's {@code settings.project} must lie under, after resolving symbolic links
 *     (default in {@code training-service.yml}: {@code ${edgeloop.data-dir}/projects} only; an empty list allows no local
 *     project folder, and uploaded snapshots ({@code settings.snapshot}) are unaffected). Failing runs get
 *     {@code project_not_allowed}
 * @param maxOutputBytes largest total size of a script run's {@code outputs/} folder (default 1 GB); a larger one
 *     fails the run with {@code output_too_large} and nothing of it is uploaded
 * @param secrets secret values by name that a script run's {@code settings.env} may reference
 *     ({@code {"name": "DB_PASSWORD", "secretRef": "<name>"}}); a run sees the value, every record of the run sees
 *     only the reference, and the run's log masks it as {@code ***}
 * @param secretKeyFile key (AES-256, base64) that encrypts secret values given inline in a request
 *     ({@code {"name": ..., "secret": true, "value": ...}}) while their run is not finished; created with mode 0600
 *     when absent (default {@code ${edgeloop.data-dir}/training/secret.key}). Instances sharing a database need
 *     the same key
 * @param datasetWait how long after its request a run waits, in {@code preparing}, for dataset versions it names that
 *     have not reached this service yet (their {@code DataLanded} still on its way) before it fails with
 *     {@code unknown_dataset} (default 2m)
 */
@ConfigurationProperties("edgeloop.training")
public record TrainingProperties(
    List<Experiment> experiments,
    Map<String, Compute> compute,
    Path workDir,
    Duration runTimeout,
    Long maxSnapshotBytes,
    Integer maxAttempts,
    Duration pollInterval,
    Double promotionMargin,
    String instanceId,
    Duration lease,
    List<Path> projectRoots,
    DataSize maxOutputBytes,
    Map<String, String> secrets,
    Path secretKeyFile,
    Duration datasetWait) {

  public TrainingProperties {
    experiments = experiments == null ? List.of() : List.copyOf(experiments);
    Map<String, Compute> targets = new LinkedHashMap<>();
    targets.put("local", new Compute("local", null, 2, null, null, null, null, null, null, null, null));
    if (compute != null) {
      targets.putAll(compute);
    }
    compute = Map.copyOf(targets);
    workDir = workDir == null ? Path.of(".edgeloop", "training", "runs") : workDir;
    runTimeout = runTimeout == null ? Duration.ofMinutes(30) : runTimeout;
    maxSnapshotBytes = maxSnapshotBytes == null ? 50L * 1024 * 1024 : maxSnapshotBytes;
    maxAttempts = maxAttempts == null ? 2 : maxAttempts;
    pollInterval = pollInterval == null ? Duration.ofMillis(500) : pollInterval;
    promotionMargin = promotionMargin == null ? 0.0 : promotionMargin;
    instanceId = instanceId == null || instanceId.isBlank() ? defaultInstanceId() : instanceId;
    lease = lease == null ? Duration.ofSeconds(30) : lease;
    projectRoots = projectRoots == null ? List.of(Path.of(".edgeloop", "projects")) : List.copyOf(projectRoots);
    maxOutputBytes = maxOutputBytes == null ? DataSize.ofGigabytes(1) : maxOutputBytes;
    secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
    secretKeyFile = secretKeyFile == null ? Path.of(".edgeloop", "training", "secret.key") : secretKeyFile;
    datasetWait = datasetWait == null ? Duration.ofMinutes(2) : datasetWait;
  }

  /** Secret values stay out of logs and error messages that print this record. */
  @Override
  public String toString() {
    return "TrainingProperties[experiments=" + experiments + ", compute=" + compute + ", workDir=" + workDir + ", secrets="
        + secrets.keySet() + " (values hidden), projectRoots=" + projectRoots + "]";
  }

  private static String defaultInstanceId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "training";
    }
    return host + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  public Optional<Experiment> experiment(String name) {
    return experiments.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /**
   * One experiment.
   *
   * @param name experiment name (the RunRequested partition key)
   * @param dataset the dataset whose DataLanded events trigger it
   * @param model the registered model name its runs produce (default: the experiment name)
   * @param spec the trainer: {@code kind} automl or script, and its settings (see README)
   * @param computeTarget where its runs execute (default {@code local})
   * @param debounce quiet time after the last DataLanded before one run is requested (default 3s)
   * @param maxDelay longest time data may wait while more keeps landing (default 10 x debounce)
   * @param minNewRows fewest new rows that justify a run (default 1)
   * @param schedule optional Spring cron expression (6 fields) for scheduled retraining
   * @param autoTrigger whether DataLanded triggers runs at all (default true)
   * @param allowExternalScripts whether a RunRequested that this service did not create itself (published to
   *     Kafka by another system) may carry a {@code script} spec, i.e. code to run (default false: such a request
   *     fails with {@code script_not_allowed} and nothing runs). AutoML requests, and requests without a spec
   *     (which run this experiment's configured trainer), are always accepted
   * @param search when an AutoML run searches instead of refitting the champion (see {@link SearchPolicy})
   */
  public record Experiment(
      String name,
      String dataset,
      String model,
      Spec spec,
      String computeTarget,
      Duration debounce,
      Duration maxDelay,
      Long minNewRows,
      String schedule,
      Boolean autoTrigger,
      Boolean allowExternalScripts,
      SearchPolicy search) {
    public Experiment {
      model = model == null ? name : model;
      computeTarget = computeTarget == null ? "local" : computeTarget;
      debounce = debounce == null ? Duration.ofSeconds(3) : debounce;
      maxDelay = maxDelay == null ? debounce.multipliedBy(10) : maxDelay;
      minNewRows = minNewRows == null ? 1L : minNewRows;
      autoTrigger = autoTrigger == null || autoTrigger;
      allowExternalScripts = allowExternalScripts != null && allowExternalScripts;
      search = search == null ? new SearchPolicy(null, null, null) : search;
    }

    public TrainingSpec trainingSpec() {
      return spec == null ? new TrainingSpec("automl", Map.of()) : new TrainingSpec(spec.kind(), Settings.normalize(spec.settings()));
    }
  }

  /**
   * When an AutoML run runs the full search rather than refitting the champion's configuration on
   * all data (seconds). A run searches when there is no champion (or it cannot be refitted), when
   * the experiment's spec changed since the champion's, when the run asks for it
   * ({@code settings.path: search}), and as set here; otherwise a run of new data refits.
   *
   * @param everyDataVersions search when this many dataset versions landed since the data of the
   *     last search run (default 5; 0 = never for this reason)
   * @param onSchedule runs requested by the experiment's {@code schedule} search (default true)
   * @param onManual manual runs (REST, CLI) search unless they ask for {@code path: refit} (default true)
   */
  public record SearchPolicy(Integer everyDataVersions, Boolean onSchedule, Boolean onManual) {
    public SearchPolicy {
      everyDataVersions = everyDataVersions == null ? 5 : everyDataVersions;
      onSchedule = onSchedule == null || onSchedule;
      onManual = onManual == null || onManual;
    }
  }

  /** A trainer spec in configuration: {@code kind} and free-form {@code settings}. */
  public record Spec(String kind, Map<String, Object> settings) {}

  /**
   * A compute target.
   *
   * @param kind {@code local} or {@code docker}
   * @param dockerHost Docker engine address for {@code docker} (default unix:///var/run/docker.sock)
   * @param maxConcurrentRuns runs executing at once on this target (default 2)
   * @param apiVersion Docker API version to speak (default: the engine's own, asked at start)
   * @param passEnv {@code local}: the variables of the service's own environment a script sees (default PATH, HOME,
   *     LANG); everything else of the service's environment (credentials included) stays out of the script's
   * @param user {@code docker}: {@code uid[:gid]} the container runs as (default: the service's own uid and gid,
   *     or 65534:65534 (nobody) when the service runs as root, which then hands the workspace to that user); root
   *     ({@code 0}) is refused
   * @param memory {@code docker}: memory limit of a run's container, swap included (default 4GB)
   * @param cpus {@code docker}: CPUs a run's container may use (default 2.0)
   * @param pidsLimit {@code docker}: most processes in a run's container (default 512)
   * @param network {@code docker}: Docker network of a run's container (default {@code none}: no network at all;
   *     e.g. {@code bridge} lets scripts reach the network)
   * @param tmpSize {@code docker}: size of the writable {@code /tmp} (memory-backed, counts against {@code memory};
   *     default 256MB); the rest of the container's file system is read-only except {@code /workspace}
   */
  public record Compute(
      String kind,
      String dockerHost,
      Integer maxConcurrentRuns,
      String apiVersion,
      List<String> passEnv,
      String user,
      DataSize memory,
      Double cpus,
      Long pidsLimit,
      String network,
      DataSize tmpSize) {
    public Compute {
      kind = kind == null ? "local" : kind;
      maxConcurrentRuns = maxConcurrentRuns == null ? 2 : maxConcurrentRuns;
      passEnv = passEnv == null ? List.of("PATH", "HOME", "LANG") : List.copyOf(passEnv);
      memory = memory == null ? DataSize.ofGigabytes(4) : memory;
      cpus = cpus == null ? 2.0 : cpus;
      pidsLimit = pidsLimit == null ? 512L : pidsLimit;
      network = network == null || network.isBlank() ? "none" : network;
      tmpSize = tmpSize == null ? DataSize.ofMegabytes(256) : tmpSize;
    }
  }

  /** Spring binds YAML lists inside a {@code Map<String,Object>} as maps keyed "0", "1"...; this turns them back into lists. */
  public static final class Settings {
    @SuppressWarnings("unchecked")
    public static Map<String, Object> normalize(Map<String, Object> map) {
      if (map == null) {
        return Map.of();
      }
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, value(v)));
      return out;
    }

    @SuppressWarnings("unchecked")
    private static Object value(Object v) {
      if (v instanceof Map<?, ?> m) {
        boolean indexed = !m.isEmpty();
        for (int i = 0; i < m.size() && indexed; i++) {
          indexed = m.containsKey(String.valueOf(i));
        }
        if (indexed) {
          List<Object> list = new ArrayList<>();
          for (int i = 0; i < m.size(); i++) {
            list.add(value(m.get(String.valueOf(i))));
          }
          return list;
        }
        return normalize((Map<String, Object>) m);
      }
      if (v instanceof List<?> l) {
        return l.stream().map(Settings::value).toList();
      }
      return v;
    }

    private Settings() {}
  }
}
