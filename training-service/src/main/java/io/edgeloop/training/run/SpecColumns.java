package io.edgeloop.training.run;

import io.edgeloop.training.dataset.DatasetVersion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The columns a training spec names (target unless derived, features, time-series group key, order
 * and rolling columns, a script's {@code columns}), checked against the landed schemas before a run
 * starts, so that a typo fails in seconds with a clear reason instead of deep inside a trainer.
 */
final class SpecColumns {

  /** Columns named by {@code settings} that no dataset version has; empty when all exist. */
  static List<String> unknown(Map<String, Object> settings, List<DatasetVersion> datasets) {
    Set<String> named = new LinkedHashSet<>();
    if (settings.get("target") instanceof String target && settings.get("derivedTarget") == null) {
      named.add(target);
    }
    addAll(named, settings.get("features"));
    addAll(named, settings.get("columns"));
    if (settings.get("timeSeries") instanceof Map<?, ?> ts) {
      add(named, ts.get("groupKey"));
      add(named, ts.get("orderColumn"));
      if (ts.get("rolling") instanceof List<?> rolling) {
        for (Object r : rolling) {
          if (r instanceof Map<?, ?> m) {
            addAll(named, m.get("columns"));
          }
        }
      }
    }
    List<String> unknown = new ArrayList<>();
    for (String column : named) {
      if (datasets.stream().noneMatch(d -> d.hasColumn(column))) {
        unknown.add(column);
      }
    }
    return unknown;
  }

  private static void addAll(Set<String> named, Object values) {
    if (values instanceof List<?> list) {
      list.forEach(v -> add(named, v));
    }
  }

  private static void add(Set<String> named, Object value) {
    if (value instanceof String s && !s.isBlank()) {
      named.add(s);
    }
  }

  private SpecColumns() {}
}
