package io.edgeloop.infra.queries;

import java.util.regex.Pattern;

/**
 * Grafana replaces its built-in range variables before a query reaches Prometheus; a query run
 * directly against Prometheus needs the same done. The dashboards use only these (no template
 * variables), so replacing them gives exactly what Prometheus would receive for a given window.
 */
public final class GrafanaVariables {
  private static final Pattern RANGE_VARIABLE =
      Pattern.compile("\\$\\{?__(rate_interval|interval|range)(_s|_ms)?}?");
  private static final Pattern ANY_VARIABLE = Pattern.compile("\\$\\{?[A-Za-z_]\\w*}?");

  private GrafanaVariables() {}

  /**
   * Replaces {@code $__rate_interval}, {@code $__interval} and {@code $__range} by {@code window}
   * (a PromQL duration such as {@code 1m}).
   *
   * @throws IllegalArgumentException if another variable remains, which Prometheus could not parse
   */
  public static String expand(String expr, String window) {
    String expanded = RANGE_VARIABLE.matcher(expr).replaceAll(window);
    if (ANY_VARIABLE.matcher(expanded).find()) {
      throw new IllegalArgumentException("unsupported Grafana variable in: " + expr);
    }
    return expanded;
  }
}
