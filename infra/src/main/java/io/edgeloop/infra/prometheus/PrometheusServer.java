package io.edgeloop.infra.prometheus;

import io.edgeloop.infra.queries.QueryCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A real Prometheus process running edgeloop's own {@code prometheus.yml} and {@code alerts.yml},
 * with only what a test must change: the scrape and evaluation interval, the listen address (a free
 * loopback port), a temporary TSDB, and the {@code file_sd} target lists, which it writes from the
 * given targets per job. Jobs, metrics paths, label handling and rules stay as shipped.
 */
public final class PrometheusServer implements AutoCloseable {
  private final Process process;
  private final Path workDir;
  private final PrometheusClient client;
  private final Duration interval;

  private PrometheusServer(Process process, Path workDir, PrometheusClient client, Duration interval) {
    this.process = process;
    this.workDir = workDir;
    this.client = client;
    this.interval = interval;
  }

  /** The Prometheus binary: {@code $PROMETHEUS_BIN}, else {@code /usr/bin/prometheus} (Debian's package), if executable. */
  public static Optional<Path> binary() {
    String configured = System.getenv("PROMETHEUS_BIN");
    Path binary = Path.of(configured != null && !configured.isBlank() ? configured : "/usr/bin/prometheus");
    return Files.isExecutable(binary) ? Optional.of(binary) : Optional.empty();
  }

  /**
   * Starts Prometheus and waits until it is ready.
   *
   * @param binary the {@code prometheus} executable
   * @param configDir the directory holding {@code prometheus.yml} (its {@code rule_files} are resolved against it)
   * @param targetsByJob targets per {@code job_name}; every job that uses {@code file_sd_configs} gets
   *     these (or none); the {@code prometheus} job scrapes this process itself
   * @param interval scrape and rule evaluation interval, e.g. one second
   * @throws IOException if the files cannot be written or the process does not become ready in 30 s
   */
  public static PrometheusServer start(Path binary, Path configDir, Map<String, List<ScrapeTarget>> targetsByJob, Duration interval)
      throws IOException {
    Path workDir = Files.createTempDirectory("edgeloop-prometheus");
    String listen = "127.0.0.1:" + freePort();
    Path config = workDir.resolve("prometheus.yml");
    Files.writeString(config, yaml().dump(rewrite(QueryCatalog.readYaml(configDir.resolve("prometheus.yml")),
        configDir, workDir, listen, targetsByJob, interval)));
    Path log = workDir.resolve("prometheus.log");
    Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + workDir.resolve("data"), "--web.listen-address=" + listen, "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusServer server = new PrometheusServer(process, workDir, new PrometheusClient(URI.create("http://" + listen)), interval);
    try {
      server.awaitReady(Duration.ofSeconds(30), log);
      return server;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  public PrometheusClient client() {
    return client;
  }

  /**
   * Waits until every active target has been scraped successfully, then for {@code scrapes} more
   * intervals, so that {@code rate()} over a short window has samples to work on.
   *
   * @throws IllegalStateException listing the targets that are not up when {@code timeout} passes
   */
  public void awaitSamples(int scrapes, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<PrometheusClient.TargetHealth> notUp = List.of();
    do {
      List<PrometheusClient.TargetHealth> targets = client.targets();
      notUp = targets.stream().filter(t -> !"up".equals(t.health())).toList();
      if (!targets.isEmpty() && notUp.isEmpty()) {
        Thread.sleep(interval.multipliedBy(scrapes).toMillis());
        return;
      }
      Thread.sleep(interval.toMillis() / 2 + 1);
    } while (System.nanoTime() < deadline);
    throw new IllegalStateException("targets not up after " + timeout + ": " + notUp);
  }

  /** Prometheus's own log (warnings and errors), for failure messages. */
  public String log() {
    try {
      return Files.readString(workDir.resolve("prometheus.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(workDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(Duration timeout, Path log) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!client.ready()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IOException("Prometheus did not become ready (alive=" + process.isAlive() + "): " + Files.readString(log));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> rewrite(Map<String, Object> config, Path configDir, Path workDir, String listen,
      Map<String, List<ScrapeTarget>> targetsByJob, Duration interval) throws IOException {
    Map<String, Object> result = new LinkedHashMap<>(config);
    Map<String, Object> global = new LinkedHashMap<>((Map<String, Object>) config.getOrDefault("global", Map.of()));
    String every = interval.toMillis() + "ms";
    global.put("scrape_interval", every);
    global.put("scrape_timeout", every);
    global.put("evaluation_interval", every);
    result.put("global", global);
    result.put("rule_files", ((List<String>) config.getOrDefault("rule_files", List.of())).stream()
        .map(f -> configDir.resolve(f).toAbsolutePath().toString()).toList());
    List<Map<String, Object>> jobs = new ArrayList<>();
    for (Map<String, Object> shipped : (List<Map<String, Object>>) config.getOrDefault("scrape_configs", List.of())) {
      Map<String, Object> job = new LinkedHashMap<>(shipped);
      String name = String.valueOf(job.get("job_name"));
      if (job.containsKey("file_sd_configs")) {
        Path targets = workDir.resolve("targets-" + name + ".yml");
        Files.writeString(targets, yaml().dump(fileSd(targetsByJob.getOrDefault(name, List.of()))));
        job.put("file_sd_configs", List.of(Map.of("files", List.of(targets.toString()))));
      } else if ("prometheus".equals(name)) {
        job.put("static_configs", List.of(Map.of("targets", List.of(listen))));
      }
      jobs.add(job);
    }
    result.put("scrape_configs", jobs);
    return result;
  }

  private static List<Map<String, Object>> fileSd(List<ScrapeTarget> targets) {
    return targets.stream()
        .<Map<String, Object>>map(t -> Map.of("targets", List.of(t.address()), "labels", t.labels()))
        .toList();
  }

  private static Yaml yaml() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(options);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
