package io.edgeloop.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.contracts.EventCodec;
import io.edgeloop.contracts.ModelDeployed;
import io.edgeloop.messaging.EdgeloopKafka;
import io.edgeloop.security.Role;
import io.edgeloop.security.test.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.springframework.context.ApplicationContext;

/**
 * The running service as the whole-service tests see it: its REST API, called with a token of
 * {@code role} issued in the service's own token store, and the {@code ModelDeployed} events it
 * announced.
 */
public final class DeployApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ApplicationContext context;
  private final int port;
  private final Role role;
  private String token;

  public DeployApiClient(ApplicationContext context, int port, Role role) {
    this.context = context;
    this.port = port;
    this.role = role;
  }

  public JsonNode get(String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + token()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  public JsonNode post(String path, String body, int expectedStatus) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + token())
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
    return JSON.readTree(response.body());
  }

  /** Waits until the newest deployment of {@code version} to {@code target} (by {@code trigger}, null = any) has {@code status}. */
  public JsonNode awaitDeployment(String target, int version, String status, String trigger) {
    JsonNode[] found = new JsonNode[1];
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      JsonNode match = null;
      for (JsonNode d : get("/api/deployments?target=" + target)) {
        if (d.path("modelVersion").asInt() == version && (trigger == null || trigger.equals(d.path("trigger").asText()))) {
          match = d;
          break;
        }
      }
      assertThat(match).as("deployment of v%d to %s", version, target).isNotNull();
      assertThat(match.path("status").asText()).as("%s", match).isEqualTo(status);
      found[0] = match;
    });
    return found[0];
  }

  /** The ModelDeployed events about {@code target} on the shared topic. */
  public static List<ModelDeployed> events(String target) {
    EventCodec codec = new EventCodec();
    return EdgeloopKafka.read("edgeloop.model-deployed", 1000, Duration.ofSeconds(3)).stream()
        .map(r -> codec.decode(r.headers(), r.value()).expect(ModelDeployed.class).data())
        .filter(e -> e.target().equals(target))
        .toList();
  }

  private String token() {
    if (token == null) {
      token = TestTokens.issue(context, role);
    }
    return token;
  }
}
