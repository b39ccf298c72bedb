package io.edgeloop.infra.queries;

import java.util.Objects;
import java.util.Set;

/**
 * One PromQL expression and where it comes from.
 *
 * @param origin a human-readable location, e.g. {@code dashboard pipeline.json, panel 4 "Events…", target A}
 * @param kind whether a dashboard panel or an alert rule holds it
 * @param expr the expression as written in the file (dashboards may use Grafana's {@code $__…} variables)
 */
public record PromQuery(String origin, Kind kind, String expr) {

  /** Where a query lives. */
  public enum Kind { DASHBOARD, ALERT_RULE }

  public PromQuery {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(kind, "kind");
    if (expr == null || expr.isBlank()) {
      throw new IllegalArgumentException(origin + ": empty expr");
    }
  }

  /** The expression Prometheus itself can run: Grafana's built-in variables replaced (see {@link GrafanaVariables}). */
  public String runnable(String window) {
    return GrafanaVariables.expand(expr, window);
  }

  /** The metric names this query selects. */
  public Set<String> metricNames() {
    return MetricNames.in(expr);
  }

  @Override
  public String toString() {
    return origin + ": " + expr;
  }
}
