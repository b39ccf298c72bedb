package io.edgeloop.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeloop.infra.queries.GrafanaVariables;
import io.edgeloop.infra.queries.MetricNames;
import io.edgeloop.infra.queries.PromQuery;
import io.edgeloop.infra.queries.QueryCatalog;
import org.junit.jupiter.api.Test;

class QueryCatalogTest {

  @Test
  void shouldReadEveryPanelTargetAndEveryRule() {
    QueryCatalog catalog = QueryCatalog.load(InfraFiles.dir());

    assertThat(catalog.dashboardQueries()).hasSizeGreaterThan(30).allMatch(q -> q.kind() == PromQuery.Kind.DASHBOARD);
    assertThat(catalog.ruleQueries()).extracting(PromQuery::origin)
        .anyMatch(o -> o.startsWith("rule EdgeloopServiceDown"))
        .anyMatch(o -> o.startsWith("rule EdgeloopInferenceLatencyHigh"));
    assertThat(catalog.all()).hasSize(catalog.dashboardQueries().size() + catalog.ruleQueries().size());
  }

  @Test
  void shouldReplaceGrafanasRangeVariablesAndRefuseOthers() {
    assertThat(GrafanaVariables.expand("rate(x[$__rate_interval]) + increase(y[${__range}])", "1m"))
        .isEqualTo("rate(x[1m]) + increase(y[1m])");
    assertThatThrownBy(() -> GrafanaVariables.expand("x{service=\"$service\"}", "1m")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldFindMetricNamesButNotFunctionsLabelsOrKeywords() {
    String expr = "histogram_quantile(0.99, sum by (le, instance) (rate(edgeloop_inference_latency_seconds_bucket{status=~\"5..\"}[5m]))) > 0.25"
        + " and on (instance) up{job=\"model-server\"} == 1 unless edgeloop_model_info offset 5m";

    assertThat(MetricNames.in(expr)).containsExactly("edgeloop_inference_latency_seconds_bucket", "edgeloop_model_info", "up");
  }

  @Test
  void shouldFindNoMetricInAnExpressionOfNumbersOnly() {
    assertThat(MetricNames.in("1e-9 + 2 * vector(0)")).isEmpty();
  }
}
