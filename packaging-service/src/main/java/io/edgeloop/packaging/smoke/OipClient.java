package io.edgeloop.packaging.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.contracts.ColumnSpec;
import io.edgeloop.contracts.TensorSpec;
import io.edgeloop.modelpackage.ModelManifest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A minimal Open Inference Protocol v2 client for smoke tests: readiness, model metadata, and an
 * inference request built from a package's recorded sample rows.
 */
public final class OipClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  public OipClient(URI base) {
    this.base = base;
  }

  /**
   * Polls {@code /v2/health/ready} until it answers 200.
   *
   * @param alive false once the server process is gone, to stop waiting early
   * @throws SmokeTestException when the server is gone or not ready within {@code timeout}
   */
  public void awaitReady(Duration timeout, BooleanSupplier alive) throws SmokeTestException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!alive.getAsBoolean()) {
        throw new SmokeTestException("the model server stopped before it was ready (" + last + ")");
      }
      try {
        HttpResponse<String> response = http.send(
            HttpRequest.newBuilder(base.resolve("/v2/health/ready")).timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = "HTTP " + response.statusCode();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(250);
    }
    throw new SmokeTestException("the model server was not ready within " + timeout + " (" + last + ")");
  }

  /** {@code GET /v2/models/{name}}: the model's metadata (name, versions, platform, inputs, outputs). */
  public JsonNode metadata(String model) throws IOException, InterruptedException {
    return get("/v2/models/" + model);
  }

  /** The status {@code GET path} answers with. */
  public int status(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** {@code POST /v2/models/{name}/infer} with {@code request}; fails on any status but 200. */
  public JsonNode infer(String model, JsonNode request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(base.resolve("/v2/models/" + model + "/infer"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("infer answered HTTP " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered HTTP " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /**
   * The inference request for {@code rows}: with preprocessing, one tensor per raw column (the
   * column's OIP datatype, shape {@code [n]}, null for a missing value); without, the graph's first
   * input as {@code [n, width]} FP32 with each row's values in the row's own order.
   */
  public static ObjectNode inferenceRequest(ModelManifest manifest, List<Map<String, Double>> rows) {
    ObjectNode request = JSON.createObjectNode();
    request.put("id", "edgeloop-smoke-test");
    ArrayNode inputs = request.putArray("inputs");
    if (manifest.preprocessing() != null) {
      for (ColumnSpec column : manifest.preprocessing().rawColumns()) {
        ObjectNode input = inputs.addObject();
        input.put("name", column.name());
        input.put("datatype", switch (column.type()) {
          case "int64" -> "INT64";
          case "boolean" -> "BOOL";
          default -> "FP64";
        });
        input.putArray("shape").add(rows.size());
        ArrayNode data = input.putArray("data");
        for (Map<String, Double> row : rows) {
          Double v = row.get(column.name());
          if (v == null || v.isNaN()) {
            data.addNull();
          } else if (column.type().equals("int64")) {
            data.add(v.longValue());
          } else if (column.type().equals("boolean")) {
            data.add(v != 0.0);
          } else {
            data.add(v);
          }
        }
      }
    } else {
      TensorSpec features = manifest.signature().inputs().get(0);
      ObjectNode input = inputs.addObject();
      input.put("name", features.name());
      input.put("datatype", "FP32");
      int width = rows.isEmpty() ? 0 : rows.get(0).size();
      input.putArray("shape").add(rows.size()).add(width);
      ArrayNode data = input.putArray("data");
      rows.forEach(row -> row.values().forEach(v -> data.add(v.floatValue())));
    }
    return request;
  }
}
