package io.edgeloop.launcher.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.infra.check.QueryCheck;
import io.edgeloop.infra.prometheus.PrometheusServer;
import io.edgeloop.infra.prometheus.ScrapeTarget;
import io.edgeloop.infra.queries.QueryCatalog;
import io.edgeloop.launcher.StackLeftovers;
import io.edgeloop.testing.FreePorts;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop, as {@code ./edgeloop demo} runs it (a smaller simulated fleet), then, while
 * everything still runs: a real Prometheus scrapes the four services and the serving model server,
 * and every PromQL query of every Grafana dashboard and alert rule must be valid and find data.
 * Slow (a few minutes): it starts the whole stack and trains twice.
 */
class LoopIT {
  private static final Path INFRA = Path.of("..", "infra");

  @TempDir Path dataDir;

  @Test
  void shouldRunTheLoopAndFeedEveryDashboardQuery() throws Exception {
    Optional<Path> prometheusBinary = PrometheusServer.binary();
    assumeTrue(prometheusBinary.isPresent(), "no Prometheus binary (/usr/bin/prometheus or $PROMETHEUS_BIN): apt-get install prometheus");
    assumeTrue(Files.isDirectory(INFRA.resolve("prometheus")), "infra/prometheus not found next to the launcher module");
    AtomicReference<QueryCheck.Report> report = new AtomicReference<>();
    // A target, an edge port and an image repository of its own: the Docker engine and the registry
    // are shared with other stacks (a demo, other tests), whose containers and tags are not its to touch.
    String target = "it-loop-" + Long.toHexString(System.nanoTime());

    String summary;
    try {
      summary = DemoCommand.run(
          (stack, servingUrl, line) -> {
            List<ScrapeTarget> services = new ArrayList<>();
            stack.ports().forEach((name, port) -> services.add(ScrapeTarget.of(URI.create("http://127.0.0.1:" + port), "service", name)));
            List<ScrapeTarget> modelServers = List.of(ScrapeTarget.of(URI.create(servingUrl), "target", target));
            try (PrometheusServer prometheus = PrometheusServer.start(prometheusBinary.get(), INFRA.resolve("prometheus"),
                Map.of("edgeloop-services", services, "model-server", modelServers), Duration.ofSeconds(1))) {
              prometheus.awaitSamples(3, Duration.ofSeconds(60));
              report.set(new QueryCheck(prometheus.client(), "5m").run(QueryCatalog.load(INFRA).all()));
            }
          },
          "--engines", "24", "--test-engines", "8", "--seed", "11",
          "--data-dir", dataDir.toString(), "--port-base", String.valueOf(FreePorts.block()), "--timeout", "PT6M",
          "-D", "edgeloop.deploy.local-target.name=" + target, "-D", "edgeloop.deploy.local-target.port=" + FreePorts.block(),
          "-D", "edgeloop.packaging.repository-prefix=" + target);
    } finally {
      // Passed or failed: the demo keeps its serving container for a user; a test must not leave it (nor its images).
      StackLeftovers.remove(dataDir, target);
    }

    assertThat(summary).matches(
        "demo: model=turbofan-rul version=\\d+ target=(docker|in-process) rmse=\\d+\\.\\d+ phm08=\\d+ data_to_serving_s=\\d+\\.\\d "
            + "retrain_to_serving_s=\\d+\\.\\d retrain_path=refit promoted=(yes|no) image_mb=(\\d+\\.\\d|n/a) v2_pushed_kb=(\\d+\\.\\d|n/a) "
            + "quarantined=1 serving_url=(http://127\\.0\\.0\\.1:\\d+|none)");
    assertThat(report.get().invalid()).as(report.get()::toString).isEmpty();
    assertThat(report.get().withoutData()).as(report.get()::toString).isEmpty();
  }
}
