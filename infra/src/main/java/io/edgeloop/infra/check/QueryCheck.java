package io.edgeloop.infra.check;

import io.edgeloop.infra.prometheus.PrometheusClient;
import io.edgeloop.infra.prometheus.QueryResult;
import io.edgeloop.infra.queries.PromQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs queries against a Prometheus and collects what is wrong with them.
 *
 * <p>Two questions per query: is it valid (Prometheus parsed and evaluated it), and does it show
 * data. A dashboard query must return series itself. An alert rule's expression is a condition that
 * is normally false (no series) while all is well, so for rules the data question is asked of each
 * metric the rule reads instead: a rule over a metric that does not exist can never fire.
 */
public final class QueryCheck {
  private final PrometheusClient prometheus;
  private final String window;

  /**
   * @param window the value for Grafana's {@code $__rate_interval}/{@code $__range}: a PromQL
   *     duration holding at least a few scrapes (e.g. {@code 1m} with a 1 s scrape interval)
   */
  public QueryCheck(PrometheusClient prometheus, String window) {
    this.prometheus = prometheus;
    this.window = window;
  }

  /** Runs each query once; the report lists the problems, in query order. */
  public Report run(List<PromQuery> queries) {
    List<String> invalid = new ArrayList<>();
    List<String> withoutData = new ArrayList<>();
    Set<String> missingMetrics = new TreeSet<>();
    for (PromQuery query : queries) {
      String expr = query.runnable(window);
      QueryResult result = prometheus.query(expr);
      if (!result.success()) {
        invalid.add(query.origin() + ": " + result.error() + "\n    " + expr);
      } else if (query.kind() == PromQuery.Kind.DASHBOARD && !result.hasData()) {
        withoutData.add(query.origin() + ": no data\n    " + expr);
      }
      for (String metric : query.metricNames()) {
        if (!prometheus.query("count(" + metric + ")").hasData() && missingMetrics.add(metric)) {
          withoutData.add(query.origin() + ": metric " + metric + " has no series");
        }
      }
    }
    return new Report(queries.size(), invalid, withoutData);
  }

  /**
   * The outcome of a check.
   *
   * @param checked how many queries ran
   * @param invalid queries Prometheus rejected, with its error
   * @param withoutData dashboard queries that returned nothing, and metrics (read by any query) without series
   */
  public record Report(int checked, List<String> invalid, List<String> withoutData) {
    public Report {
      invalid = List.copyOf(invalid);
      withoutData = List.copyOf(withoutData);
    }

    @Override
    public String toString() {
      return checked + " queries; invalid: " + invalid.size() + (invalid.isEmpty() ? "" : "\n  " + String.join("\n  ", invalid))
          + "\nwithout data: " + withoutData.size() + (withoutData.isEmpty() ? "" : "\n  " + String.join("\n  ", withoutData));
    }
  }
}
