package io.edgeloop.reliability;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.edgeloop.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;

/**
 * The four services, two instances of each, every instance its exec jar in a JVM of its own, as an
 * operator runs replicas: one database per service that both its instances share (no service reads
 * another's), one blob container (Azurite), one broker, the registry of {@code .ci/infra.sh}, the
 * host's Docker engine as the one edge target. The instances of a service differ only in their data
 * folder (and deploy's in the port its stable endpoint listens on); ingest's two poll one share.
 * Names (dataset, experiment, model, target, stack id) are this run's own, so the shared broker's
 * other traffic and other runs' containers stay apart.
 */
final class LoopReplicas implements AutoCloseable {
  static final String REGISTRY = "127.0.0.1:5000";
  final String id = "rl" + UUID.randomUUID().toString().substring(0, 6);
  final String dataset = "turbofan-" + id;
  final String model = "rul-" + id;
  final String target = "edge-" + id;
  final Path share;
  final Map<String, Integer> edgePorts = new LinkedHashMap<>();
  final Map<String, ServiceProcess> instances = new LinkedHashMap<>();
  final AzuriteContainer azurite;
  private final Path dir;
  private final List<String> common;
  private final Map<String, List<String>> own = new LinkedHashMap<>();

  /** {@code extraArgs}: settings of every instance on top of the run's own (a test's shorter timeouts). */
  LoopReplicas(Path dir, BrokerContainer broker, PostgresContainer postgres, AzuriteContainer azurite, List<String> extraArgs)
      throws Exception {
    this.dir = dir;
    this.azurite = azurite;
    this.share = Files.createDirectories(dir.resolve("share"));
    Path settings = Files.writeString(dir.resolve("replicas.yml"), settingsYaml());
    Path keys = Files.createDirectories(dir.resolve("signing"));
    List<String> common = new ArrayList<>(List.of(
        "--spring.config.additional-location=file:" + settings,
        "--edgeloop.kafka.bootstrap-servers=" + broker.bootstrapServers(),
        "--edgeloop.storage.uri=" + azurite.endpoint() + "/" + id,
        "--edgeloop.storage.azure.connection-string=" + azurite.connectionString(),
        "--edgeloop.stack-id=" + id,
        "--spring.datasource.username=" + postgres.username(),
        "--spring.datasource.password=" + postgres.password(),
        // Both packaging instances sign with one key, which deploy trusts (as one key would be
        // mounted into every replica); the first instance to start writes it.
        "--edgeloop.packaging.signing.private-key-file=" + keys.resolve("signing.key"),
        "--edgeloop.packaging.signing.public-key-file=" + keys.resolve("signing.pub"),
        "--edgeloop.deploy.trust.signing-keys=" + keys.resolve("signing.pub"),
        // The machine's packaging cache, as `up` gives it (the jlinked runtime, base layers): both
        // instances link into it at once on a fresh machine, which the cache is made to take.
        "--edgeloop.packaging.cache-dir=" + machineCache().resolve("packaging")));
    common.addAll(extraArgs);
    this.common = List.copyOf(common);
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password())) {
      for (String service : List.of("ingest", "training", "packaging", "deploy")) {
        c.createStatement().execute("create database " + database(service));
        own.put(service, List.of("--spring.datasource.url=" + postgres.jdbcUrl().replace("/postgres", "/" + database(service))));
      }
    }
  }

  private static Path machineCache() {
    String xdg = System.getenv().getOrDefault("XDG_CACHE_HOME", "");
    return (xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg)).resolve("edgeloop");
  }

  String database(String service) {
    return service + "_" + id;
  }

  /**
   * Starts every instance: the {@code a} instances first (packaging's writes the signing key), then
   * the {@code b} instances, and waits until all eight are healthy.
   */
  void start() throws Exception {
    for (String instance : List.of("a", "b")) {
      for (String service : List.of("ingest", "training", "packaging", "deploy")) {
        start(service, instance);
      }
      for (String service : List.of("ingest", "training", "packaging", "deploy")) {
        instances.get(service + "-" + instance).awaitHealthy(Duration.ofMinutes(5));
      }
    }
  }

  /**
   * {@code kill -9} of the {@code instance} of every service at once (a machine lost), then the same
   * four started again on the same data folders and ports, as an operator's restart.
   */
  synchronized void killAndRestart(String instance) throws Exception {
    List<String> services = List.of("ingest", "training", "packaging", "deploy");
    for (String service : services) {
      instances.get(service + "-" + instance).kill();
    }
    for (String service : services) {
      String name = service + "-" + instance;
      instances.put(name, ServiceProcess.start(ServiceProcess.jar(service), jvmOptions.get(name), arguments.get(name), dir.resolve(name + ".log")));
    }
    for (String service : services) {
      instances.get(service + "-" + instance).awaitHealthy(Duration.ofMinutes(5));
    }
  }

  /**
   * {@code kill -9} of one instance ({@code <service>-<a|b>}), then the same instance started again
   * with the same options; returns it started, not yet healthy.
   */
  synchronized ServiceProcess killAndRestartOne(String name) throws Exception {
    instances.get(name).kill();
    ServiceProcess restarted = ServiceProcess.start(ServiceProcess.jar(name.substring(0, name.indexOf('-'))), jvmOptions.get(name),
        arguments.get(name), dir.resolve(name + ".log"));
    instances.put(name, restarted);
    return restarted;
  }

  /** The instance running as process {@code pid}, if one is. */
  synchronized Optional<String> instanceWithPid(long pid) {
    return instances.entrySet().stream().filter(e -> e.getValue().pid() == pid).map(Map.Entry::getKey).findFirst();
  }

  /** An instance whose process ended, with its log's tail; empty while all run. */
  synchronized Optional<String> deadInstance() throws IOException {
    for (Map.Entry<String, ServiceProcess> instance : instances.entrySet()) {
      if (!instance.getValue().isAlive()) {
        return Optional.of(instance.getKey() + " died; its log ends:\n" + instance.getValue().tail());
      }
    }
    return Optional.empty();
  }

  /** Every instance's log so far, one after another. */
  synchronized String logs() throws IOException {
    StringBuilder all = new StringBuilder();
    for (ServiceProcess instance : instances.values()) {
      all.append(instance.log());
    }
    return all.toString();
  }

  /** JVM options of both instances of {@code service} (e.g. crash points' {@code -D}); before {@link #start()}. */
  void withJvmOptions(String service, List<String> options) {
    serviceJvmOptions.put(service, List.copyOf(options));
  }

  private final Map<String, List<String>> serviceJvmOptions = new LinkedHashMap<>();
  private final Map<String, List<String>> arguments = new LinkedHashMap<>();
  private final Map<String, List<String>> jvmOptions = new LinkedHashMap<>();

  private void start(String service, String instance) throws IOException {
    List<String> args = new ArrayList<>(common);
    args.addAll(own.get(service));
    args.add("--edgeloop.data-dir=" + dir.resolve(service + "-" + instance));
    if (service.equals("training") || service.equals("packaging")) {
      args.add("--edgeloop." + service + ".instance-id=" + service + "-" + instance);
    }
    if (service.equals("deploy")) {
      int port = FreePorts.next();
      edgePorts.put(instance, port);
      args.add("--edgeloop.deploy.instance-id=" + instance);
      args.add("--edgeloop.deploy.local-target.port=" + port);
    }
    // Training fits models in its own JVM (AutoML), so it gets more heap than the others.
    List<String> jvm = new ArrayList<>(service.equals("training") ? List.of("-Xmx768m") : List.of());
    jvm.addAll(serviceJvmOptions.getOrDefault(service, List.of()));
    String name = service + "-" + instance;
    arguments.put(name, List.copyOf(args));
    jvmOptions.put(name, List.copyOf(jvm));
    instances.put(name, ServiceProcess.start(ServiceProcess.jar(service), jvm, args, dir.resolve(name + ".log")));
  }

  /**
   * One file of the run's own settings, above each service's packaged file: ingest's share, the
   * experiment (the default turbofan one under this run's names, with a smaller sweep), packaging's
   * registry and smoke test, deploy's one local target. Lists in a higher file replace the lower
   * file's whole list, which is why these go in a file rather than as single indexed arguments.
   */
  private String settingsYaml() {
    return """
        edgeloop:
          ingest:
            shares:
              - name: turbofan
                path: %s
                dataset: %s
                format: {preset: cmapss}
                settle-time: 500ms
                poll-interval: 300ms
          training:
            experiments:
              - name: %s
                dataset: %s
                model: %s
                compute-target: local
                debounce: 5s
                min-new-rows: 100
                spec:
                  kind: automl
                  settings:
                    name: %s
                    task: regression
                    target: RUL
                    derivedTarget: {type: rul, cap: 125}
                    timeSeries:
                      groupKey: unit
                      orderColumn: cycle
                      baselineRows: 10
                      rolling:
                        - columns: [sensor_2, sensor_3, sensor_4, sensor_7, sensor_11, sensor_12, sensor_15, sensor_17, sensor_20, sensor_21]
                          windows: [10]
                          stats: [mean]
                    primaryMetric: rmse
                    maxTrials: 3
                    families: [xgboost]
                    seed: 42
          packaging:
            registry: %s
            smoke-test: docker
          deploy:
            local-target:
              enabled: true
              name: %s
        """.formatted(share, dataset, model, dataset, model, model, REGISTRY, target);
  }

  /** Stops every instance, then removes the model servers deploy started for this run (they restart with the engine otherwise). */
  @Override
  public void close() throws Exception {
    for (ServiceProcess instance : instances.values()) {
      instance.close();
    }
    DockerClient docker = DockerClientFactory.instance().client();
    for (Container container : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("io.edgeloop.stack", id)).exec()) {
      docker.removeContainerCmd(container.getId()).withForce(true).exec();
    }
  }
}
