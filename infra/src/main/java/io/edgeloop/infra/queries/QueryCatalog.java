package io.edgeloop.infra.queries;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every PromQL query edgeloop ships: the targets of every panel of every dashboard in
 * {@code grafana/dashboards/*.json} and the {@code expr} of every rule in {@code prometheus/alerts.yml}.
 * The demo and the loop tests use it to check that the dashboards show data after a real loop.
 */
public final class QueryCatalog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<PromQuery> dashboardQueries;
  private final List<PromQuery> ruleQueries;

  private QueryCatalog(List<PromQuery> dashboardQueries, List<PromQuery> ruleQueries) {
    this.dashboardQueries = List.copyOf(dashboardQueries);
    this.ruleQueries = List.copyOf(ruleQueries);
  }

  /**
   * Reads the queries under an {@code infra} directory.
   *
   * @param infraDir the {@code infra/} directory of the repository
   * @throws UncheckedIOException if a file cannot be read or parsed
   */
  public static QueryCatalog load(Path infraDir) {
    return new QueryCatalog(readDashboards(dashboardFiles(infraDir)), readRules(infraDir.resolve("prometheus/alerts.yml")));
  }

  /** The dashboard files, sorted by name. */
  public static List<Path> dashboardFiles(Path infraDir) {
    try (Stream<Path> files = Files.list(infraDir.resolve("grafana/dashboards"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<PromQuery> dashboardQueries() {
    return dashboardQueries;
  }

  public List<PromQuery> ruleQueries() {
    return ruleQueries;
  }

  /** Dashboard queries first, then rule queries. */
  public List<PromQuery> all() {
    List<PromQuery> all = new ArrayList<>(dashboardQueries);
    all.addAll(ruleQueries);
    return all;
  }

  private static List<PromQuery> readDashboards(List<Path> files) {
    List<PromQuery> queries = new ArrayList<>();
    for (Path file : files) {
      JsonNode dashboard = readJson(file);
      for (JsonNode panel : panels(dashboard)) {
        for (JsonNode target : panel.path("targets")) {
          String origin = String.format("dashboard %s, panel %s \"%s\", target %s",
              file.getFileName(), panel.path("id").asText(), panel.path("title").asText(), target.path("refId").asText());
          queries.add(new PromQuery(origin, PromQuery.Kind.DASHBOARD, target.path("expr").asText(null)));
        }
      }
    }
    return queries;
  }

  /** The panels of a dashboard, including those nested in collapsed rows. */
  public static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    return panels;
  }

  /** Reads one JSON file. */
  public static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<PromQuery> readRules(Path file) {
    Map<String, Object> rules = readYaml(file);
    List<PromQuery> queries = new ArrayList<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) rules.getOrDefault("groups", List.of())) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.getOrDefault("rules", List.of())) {
        Object name = rule.containsKey("alert") ? rule.get("alert") : rule.get("record");
        String origin = String.format("rule %s (group %s)", name, group.get("name"));
        queries.add(new PromQuery(origin, PromQuery.Kind.ALERT_RULE, String.valueOf(rule.get("expr")).strip()));
      }
    }
    return queries;
  }

  /** Reads one YAML document as a map (safe constructor: plain maps, lists and scalars only). */
  public static Map<String, Object> readYaml(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      return document == null ? Map.of() : document;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
