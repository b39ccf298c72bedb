package io.edgeloop.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeloop.infra.check.QueryCheck;
import io.edgeloop.infra.prometheus.PrometheusClient;
import io.edgeloop.infra.prometheus.PrometheusServer;
import io.edgeloop.infra.prometheus.ScrapeTarget;
import io.edgeloop.infra.queries.PromQuery;
import io.edgeloop.infra.queries.QueryCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every dashboard and alert-rule query, run by a real Prometheus (edgeloop's own prometheus.yml and
 * alerts.yml) that scrapes an exposition-format fixture carrying every metric name of the metrics
 * contract: each query must be valid, and find data.
 */
class PrometheusQueriesValidIT {
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static ExpositionFixture fixture;
  private static PrometheusServer prometheus;

  @BeforeAll
  static void startPrometheus() throws Exception {
    Optional<Path> binary = PrometheusServer.binary();
    assumeTrue(binary.isPresent(), "no Prometheus binary (/usr/bin/prometheus or $PROMETHEUS_BIN): apt-get install prometheus");
    fixture = ExpositionFixture.start();
    prometheus = PrometheusServer.start(binary.get(), InfraFiles.prometheusDir(), Map.of(
        "edgeloop-services", List.of(new ScrapeTarget(fixture.address(), Map.of("service", "fixture"))),
        "model-server", List.of(new ScrapeTarget(fixture.address(), Map.of("target", "fixture")))), INTERVAL);
    prometheus.awaitSamples(3, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void everyDashboardAndRuleQueryIsValidAndFindsData() {
    List<PromQuery> queries = QueryCatalog.load(InfraFiles.dir()).all();

    QueryCheck.Report report = new QueryCheck(prometheus.client(), "1m").run(queries);

    assertThat(report.checked()).isEqualTo(queries.size()).isGreaterThan(30);
    assertThat(report.invalid()).as(report::toString).isEmpty();
    assertThat(report.withoutData()).as(report::toString).isEmpty();
  }

  @Test
  void theCheckReportsABrokenQueryAndAMetricWithoutSeries() {
    QueryCheck check = new QueryCheck(prometheus.client(), "1m");

    QueryCheck.Report report = check.run(List.of(
        new PromQuery("broken", PromQuery.Kind.DASHBOARD, "sum(rate(edgeloop_ingest_rows_total[$__rate_interval])"),
        new PromQuery("renamed", PromQuery.Kind.ALERT_RULE, "edgeloop_ingest_row_total > 0")));

    assertThat(report.invalid()).singleElement().asString().startsWith("broken: bad_data");
    assertThat(report.withoutData()).singleElement().asString().contains("edgeloop_ingest_row_total has no series");
  }

  @Test
  void prometheusEvaluatesEveryShippedRuleWithoutError() throws InterruptedException {
    PrometheusClient client = prometheus.client();
    List<PrometheusClient.RuleHealth> rules = client.rules();
    for (int i = 0; i < 20 && rules.stream().anyMatch(r -> "unknown".equals(r.health())); i++) {
      Thread.sleep(INTERVAL.toMillis());
      rules = client.rules();
    }

    assertThat(rules).hasSize(QueryCatalog.load(InfraFiles.dir()).ruleQueries().size());
    assertThat(rules).allSatisfy(rule -> assertThat(rule.health()).as(rule.name() + " " + rule.lastError()).isEqualTo("ok"));
  }

  @Test
  void bothScrapeJobsReachTheirMetricsPaths() {
    assertThat(prometheus.client().targets())
        .extracting(t -> t.job() + " " + t.scrapeUrl().replace(fixture.address(), "fixture") + " " + t.health())
        .contains("edgeloop-services http://fixture/actuator/prometheus up", "model-server http://fixture/metrics up");
  }
}
