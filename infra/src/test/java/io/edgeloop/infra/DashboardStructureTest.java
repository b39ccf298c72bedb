package io.edgeloop.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.edgeloop.infra.queries.GrafanaVariables;
import io.edgeloop.infra.queries.QueryCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grafana dashboards: schema, panel structure, data source, and coverage of the metrics contract. */
class DashboardStructureTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> KINDS = Set.of("pipeline", "data", "training", "packaging", "deployment", "inference");

  private final List<Path> files = QueryCatalog.dashboardFiles(InfraFiles.dir());

  @Test
  void shipsOneDashboardPerArea() {
    assertThat(files).extracting(f -> f.getFileName().toString().replace(".json", "")).containsExactlyInAnyOrderElementsOf(KINDS);
  }

  /**
   * The shared schema describes the envelope of Grafana's dashboard API ({@code {"dashboard": …}}),
   * so each file is validated wrapped in it. It is a 5.x-era schema; nothing in it rejects newer
   * panel fields (no {@code additionalProperties: false}), so no check had to be relaxed beyond the
   * wrapping, and template variables are avoided (5.x typed their {@code datasource} as a string).
   */
  @Test
  void everyDashboardMatchesTheGrafanaDashboardSchema() throws IOException {
    Path schemaFile = Path.of(System.getProperty("edgeloop.shared.dir", "../../shared"), "specs", "grafana-dashboard-5.x.schema.json");
    assumeTrue(Files.isRegularFile(schemaFile), "Grafana dashboard schema not found at " + schemaFile.toAbsolutePath()
        + " (set -Dedgeloop.shared.dir to the shared directory)");
    JsonSchema schema;
    try (InputStream in = Files.newInputStream(schemaFile)) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
    }
    for (Path file : files) {
      ObjectNode envelope = JSON.createObjectNode();
      envelope.set("dashboard", QueryCatalog.readJson(file));
      envelope.put("overwrite", true);

      Set<ValidationMessage> errors = schema.validate(envelope);

      assertThat(errors).as(file.getFileName().toString()).isEmpty();
    }
  }

  @Test
  void theSchemaCheckRejectsAMalformedDashboard() throws IOException {
    Path schemaFile = Path.of(System.getProperty("edgeloop.shared.dir", "../../shared"), "specs", "grafana-dashboard-5.x.schema.json");
    assumeTrue(Files.isRegularFile(schemaFile), "Grafana dashboard schema not found at " + schemaFile.toAbsolutePath());
    JsonSchema schema;
    try (InputStream in = Files.newInputStream(schemaFile)) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
    }
    JsonNode broken = JSON.readTree("{\"dashboard\": {\"uid\": \"short\", \"panels\": [{\"gridPos\": {\"w\": 30}}]}}");

    assertThat(schema.validate(broken)).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void dashboardUidsAreUniqueAndPanelIdsUniqueWithinADashboard() {
    Set<String> uids = new HashSet<>();
    for (Path file : files) {
      JsonNode dashboard = QueryCatalog.readJson(file);
      assertThat(uids.add(dashboard.path("uid").asText())).as("uid of " + file.getFileName()).isTrue();
      assertThat(dashboard.path("uid").asText()).hasSizeBetween(8, 40);
      assertThat(dashboard.path("title").asText()).as("title of " + file.getFileName()).isNotBlank();
      List<Integer> ids = QueryCatalog.panels(dashboard).stream().map(p -> p.path("id").asInt(-1)).toList();
      assertThat(ids).as("panel ids of " + file.getFileName()).doesNotContain(-1).doesNotHaveDuplicates();
    }
  }

  @Test
  void everyPanelQueriesTheProvisionedPrometheusWithAtLeastOneExpression() {
    String datasourceUid = provisionedDatasourceUid();
    for (Path file : files) {
      for (JsonNode panel : QueryCatalog.panels(QueryCatalog.readJson(file))) {
        if ("row".equals(panel.path("type").asText())) {
          continue;
        }
        String where = file.getFileName() + " panel " + panel.path("id") + " " + panel.path("title");
        assertThat(panel.path("datasource").path("uid").asText()).as(where + " datasource").isEqualTo(datasourceUid);
        assertThat(panel.path("targets")).as(where + " targets").isNotEmpty();
        Set<String> refIds = new HashSet<>();
        for (JsonNode target : panel.path("targets")) {
          assertThat(target.path("expr").asText()).as(where + " expr").isNotBlank();
          assertThat(refIds.add(target.path("refId").asText())).as(where + " refId " + target.path("refId")).isTrue();
          if (target.has("datasource")) {
            assertThat(target.path("datasource").path("uid").asText()).as(where + " target datasource").isEqualTo(datasourceUid);
          }
          assertThatCode(() -> GrafanaVariables.expand(target.path("expr").asText(), "1m")).as(where).doesNotThrowAnyException();
        }
        JsonNode grid = panel.path("gridPos");
        assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(where + " fits 24 columns").isBetween(1, 24);
      }
    }
  }

  /** Each metric family of the metrics contract (mirrored by the exposition fixtures) is on some dashboard. */
  @Test
  void dashboardsShowEveryMetricOfTheContract() {
    Set<String> shown = new HashSet<>();
    QueryCatalog.load(InfraFiles.dir()).dashboardQueries().forEach(q -> q.metricNames().stream().map(DashboardStructureTest::family).forEach(shown::add));
    Set<String> contract = new HashSet<>();
    for (String fixture : List.of("/fixtures/services.prom", "/fixtures/model-server.prom")) {
      Matcher sample = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(ExpositionFixture.read(fixture));
      while (sample.find()) {
        contract.add(family(sample.group(1)));
      }
    }

    assertThat(contract).hasSizeGreaterThan(25);
    List<String> missing = new ArrayList<>(contract);
    missing.removeAll(shown);
    assertThat(missing).as("metrics on no dashboard").isEmpty();
  }

  private static String family(String metric) {
    return metric.replaceAll("_(bucket|count|sum|max|total)$", "");
  }

  @SuppressWarnings("unchecked")
  private static String provisionedDatasourceUid() {
    Map<String, Object> provisioning = QueryCatalog.readYaml(InfraFiles.dir().resolve("grafana/provisioning/datasources/prometheus.yml"));
    List<Map<String, Object>> datasources = (List<Map<String, Object>>) provisioning.get("datasources");
    assertThat(datasources).hasSize(1);
    return String.valueOf(datasources.get(0).get("uid"));
  }
}
