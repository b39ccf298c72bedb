package io.edgeloop.infra.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The parts of Prometheus's HTTP API (v1) that the checks need. */
public final class PrometheusClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** @param baseUrl e.g. {@code http://127.0.0.1:9090} */
  public PrometheusClient(URI baseUrl) {
    this.baseUrl = baseUrl;
  }

  public URI baseUrl() {
    return baseUrl;
  }

  /** Runs an instant query now ({@code GET /api/v1/query}). */
  public QueryResult query(String expr) {
    JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    if (!"success".equals(answer.path("status").asText())) {
      return new QueryResult(false, 0, answer.path("errorType").asText() + ": " + answer.path("error").asText());
    }
    JsonNode data = answer.path("data");
    int series = switch (data.path("resultType").asText()) {
      case "vector", "matrix" -> data.path("result").size();
      default -> data.path("result").isMissingNode() ? 0 : 1;
    };
    return new QueryResult(true, series, "");
  }

  /** True when Prometheus answers {@code /-/ready} with 200. */
  public boolean ready() {
    try {
      HttpResponse<Void> response = http.send(
          HttpRequest.newBuilder(baseUrl.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The active scrape targets as {@code job address health [lastError]}, from {@code /api/v1/targets}. */
  public List<TargetHealth> targets() {
    List<TargetHealth> targets = new ArrayList<>();
    for (JsonNode target : get("/api/v1/targets?state=active").path("data").path("activeTargets")) {
      targets.add(new TargetHealth(target.path("labels").path("job").asText(), target.path("scrapeUrl").asText(),
          target.path("health").asText(), target.path("lastError").asText()));
    }
    return targets;
  }

  /** The loaded rules with their evaluation health, from {@code /api/v1/rules}. */
  public List<RuleHealth> rules() {
    List<RuleHealth> rules = new ArrayList<>();
    for (JsonNode group : get("/api/v1/rules").path("data").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        rules.add(new RuleHealth(rule.path("name").asText(), rule.path("health").asText(), rule.path("lastError").asText()));
      }
    }
    return rules;
  }

  /** One scrape target. @param health {@code up}, {@code down} or {@code unknown} (not scraped yet) */
  public record TargetHealth(String job, String scrapeUrl, String health, String lastError) {}

  /** One rule. @param health {@code ok}, {@code err} or {@code unknown} (not evaluated yet) */
  public record RuleHealth(String name, String health, String lastError) {}

  private JsonNode get(String pathAndQuery) {
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      // A bad query is a 400 with a JSON body that says why: that is an answer, not a failure.
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("Prometheus at " + baseUrl + " did not answer " + pathAndQuery, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
