package io.edgeloop.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.infra.check.QueryCheck;
import io.edgeloop.infra.prometheus.PrometheusServer;
import io.edgeloop.infra.prometheus.ScrapeTarget;
import io.edgeloop.infra.queries.QueryCatalog;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: after a loop has run on a live stack, every dashboard query returns data and every
 * metric an alert rule reads exists. Runs only against a stack that is already up and has done a
 * loop (the demo or the loop test starts it), named by
 * <ul>
 *   <li>{@code -Dedgeloop.it.stack} or {@code EDGELOOP_IT_STACK}: the services, comma-separated
 *       {@code [name=]baseUrl}, e.g. {@code ingest-service=http://127.0.0.1:8081,training-service=http://127.0.0.1:8082,...};
 *   <li>{@code -Dedgeloop.it.model-servers} or {@code EDGELOOP_IT_MODEL_SERVERS} (optional): model
 *       servers the same way, e.g. {@code edge-1=http://127.0.0.1:18080}.
 * </ul>
 * Otherwise it skips.
 */
class DashboardQueriesIT {

  @Test
  void afterALoopEveryDashboardQueryReturnsData() throws Exception {
    String stack = setting("edgeloop.it.stack", "EDGELOOP_IT_STACK");
    assumeTrue(stack != null, "no running stack given: set -Dedgeloop.it.stack=ingest-service=http://127.0.0.1:8081,... "
        + "(or EDGELOOP_IT_STACK) after a loop has run; the demo/loop test does this");
    Optional<Path> binary = PrometheusServer.binary();
    assumeTrue(binary.isPresent(), "no Prometheus binary (/usr/bin/prometheus or $PROMETHEUS_BIN): apt-get install prometheus");
    List<ScrapeTarget> services = targets(stack, "service");
    List<ScrapeTarget> modelServers = targets(setting("edgeloop.it.model-servers", "EDGELOOP_IT_MODEL_SERVERS"), "target");

    try (PrometheusServer prometheus = PrometheusServer.start(binary.get(), InfraFiles.prometheusDir(),
        Map.of("edgeloop-services", services, "model-server", modelServers), Duration.ofSeconds(1))) {
      prometheus.awaitSamples(3, Duration.ofSeconds(60));

      QueryCheck.Report report = new QueryCheck(prometheus.client(), "1m").run(QueryCatalog.load(InfraFiles.dir()).all());

      assertThat(report.invalid()).as(report::toString).isEmpty();
      assertThat(report.withoutData()).as(report::toString).isEmpty();
    }
  }

  private static String setting(String property, String env) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(env);
    }
    return value == null || value.isBlank() ? null : value;
  }

  /** {@code [name=]url,...}; without a name the label is the target's {@code host:port}. */
  static List<ScrapeTarget> targets(String list, String labelName) {
    List<ScrapeTarget> targets = new ArrayList<>();
    if (list == null) {
      return targets;
    }
    for (String entry : Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()) {
      int eq = entry.indexOf('=');
      URI url = URI.create(eq < 0 ? entry : entry.substring(eq + 1));
      targets.add(ScrapeTarget.of(url, labelName, eq < 0 ? url.getHost() + ":" + url.getPort() : entry.substring(0, eq)));
    }
    return targets;
  }
}
