package io.edgeloop.infra.queries;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the metric names a PromQL expression selects, so that an alert rule whose condition is
 * false right now (an empty result) can still be checked for data: each metric it reads must exist.
 *
 * <p>A lexical scan, not a parser: string literals, label matchers ({@code {…}}), range and
 * subquery brackets ({@code […]}) and grouping clauses ({@code by (…)}, {@code on (…)}, …) are
 * removed; what remains of identifiers, apart from function calls, keywords and duration units, are
 * metric names. That covers the queries edgeloop writes; a parse error is Prometheus's to report.
 */
public final class MetricNames {
  private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern BRACES = Pattern.compile("\\{[^}]*}|\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
          "group_left", "group_right", "inf", "nan", "atan2");

  private MetricNames() {}

  /** The metric names selected in {@code expr}, sorted. */
  public static Set<String> in(String expr) {
    String scanned = STRINGS.matcher(expr).replaceAll(" ");
    scanned = BRACES.matcher(scanned).replaceAll(" ");
    scanned = GROUPING.matcher(scanned).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher identifier = IDENTIFIER.matcher(scanned);
    while (identifier.find()) {
      boolean call = identifier.group(2) != null;
      String name = identifier.group(1);
      if (!call && !KEYWORDS.contains(name.toLowerCase())) {
        names.add(name);
      }
    }
    return names;
  }
}
