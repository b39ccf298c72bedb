package io.edgeloop.deploy.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.deploy.target.RolloutFailedException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Decides whether a freshly started model server may take traffic: it must report ready on
 * {@code /v2/health/ready}, know the model on {@code /v2/models/{name}}, and reproduce the sample
 * outputs recorded in its model package ({@code edgeloop-model.json} {@code samples}) within a
 * float32 tolerance. The samples are sent as one request with one tensor per raw column, as
 * clients do.
 */
public class OipSmokeTest {
  /** Absolute plus relative tolerance: outputs travel as float32. */
  static final double ABSOLUTE_TOLERANCE = 1e-4;
  static final double RELATIVE_TOLERANCE = 1e-3;
  static final long READY_POLL_MILLIS = 50;
  static final int ALIVE_EVERY = 10;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper json = new ObjectMapper();

  /**
   * Polls readiness until it answers 200, every {@value #READY_POLL_MILLIS} ms: the time between
   * the server becoming ready and the switch is at most one poll (with 250 ms polls it was a
   * measurable part of the time to serve).
   *
   * @param alive checked every {@value #ALIVE_EVERY} polls (it asks the engine): false (the
   *     container exited) fails at once
   * @throws RolloutFailedException when not ready within {@code timeout} or no longer alive
   */
  public void awaitReady(URI base, Duration timeout, BooleanSupplier alive) throws RolloutFailedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    for (int poll = 0; System.nanoTime() < deadline; poll++) {
      if (poll % ALIVE_EVERY == 0 && !alive.getAsBoolean()) {
        throw new RolloutFailedException("the new container stopped before it was ready (" + last + ")");
      }
      try {
        HttpResponse<String> response = http.send(
            HttpRequest.newBuilder(base.resolve("/v2/health/ready")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = "ready answered " + response.statusCode();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RolloutFailedException("interrupted while waiting for readiness");
      }
      sleep(READY_POLL_MILLIS);
    }
    throw new RolloutFailedException("not ready within " + timeout.toSeconds() + " s (" + last + ")");
  }

  /**
   * Checks model metadata and, when the package has samples, the predictions.
   *
   * @param manifest the package's {@code edgeloop-model.json}
   * @throws RolloutFailedException on any mismatch, with what differed
   */
  public void check(URI base, String model, JsonNode manifest) throws RolloutFailedException {
    URI modelUri = base.resolve("/v2/models/" + model);
    JsonNode metadata = call(HttpRequest.newBuilder(modelUri).timeout(Duration.ofSeconds(10)).build(), "metadata");
    if (!model.equals(metadata.path("name").asText())) {
      throw new RolloutFailedException("the server serves model '" + metadata.path("name").asText() + "', not '" + model + "'");
    }
    JsonNode samples = manifest.path("samples");
    if (!samples.path("rows").isArray() || samples.path("rows").isEmpty()) {
      return;
    }
    ObjectNode request = inferRequest(manifest, samples.path("rows"));
    JsonNode response = call(
        HttpRequest.newBuilder(URI.create(modelUri + "/infer"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(request.toString()))
            .build(),
        "infer");
    compare(samples.path("expected"), rowsOf(response.path("outputs"), samples.path("rows").size()));
  }

  ObjectNode inferRequest(JsonNode manifest, JsonNode rows) {
    ObjectNode request = json.createObjectNode();
    request.put("id", "edgeloop-deploy-smoke-test");
    ArrayNode inputs = request.putArray("inputs");
    JsonNode columns = manifest.path("preprocessing").path("rawColumns");
    if (columns.isArray() && !columns.isEmpty()) {
      for (JsonNode column : columns) {
        String name = column.path("name").asText();
        String type = column.path("type").asText("float64");
        ObjectNode tensor = inputs.addObject();
        tensor.put("name", name);
        tensor.put("datatype", switch (type) {
          case "int64" -> "INT64";
          case "boolean" -> "BOOL";
          default -> "FP64";
        });
        tensor.putArray("shape").add(rows.size());
        ArrayNode data = tensor.putArray("data");
        for (JsonNode row : rows) {
          JsonNode value = row.path(name);
          switch (type) {
            case "int64" -> data.add(value.asLong());
            case "boolean" -> data.add(value.asDouble() != 0 || value.asBoolean());
            default -> data.add(value.asDouble());
          }
        }
      }
    } else {
      // No preprocessing: the rows are the graph's feature vectors, in their recorded column order.
      String input = manifest.path("signature").path("inputs").path(0).path("name").asText("features");
      ObjectNode tensor = inputs.addObject();
      tensor.put("name", input);
      tensor.put("datatype", "FP32");
      ArrayNode data = tensor.putArray("data");
      int width = 0;
      for (JsonNode row : rows) {
        width = row.size();
        row.elements().forEachRemaining(value -> data.add(value.asDouble()));
      }
      tensor.putArray("shape").add(rows.size()).add(width);
    }
    return request;
  }

  /** Per row, the values of every output tensor, in the order the server lists its outputs. */
  static List<List<Double>> rowsOf(JsonNode outputs, int rows) throws RolloutFailedException {
    List<List<Double>> result = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      result.add(new ArrayList<>());
    }
    for (JsonNode output : outputs) {
      JsonNode data = output.path("data");
      if (data.size() % rows != 0) {
        throw new RolloutFailedException("output '" + output.path("name").asText() + "' has " + data.size()
            + " values for " + rows + " rows");
      }
      int perRow = data.size() / rows;
      for (int i = 0; i < data.size(); i++) {
        result.get(i / perRow).add(data.get(i).asDouble());
      }
    }
    return result;
  }

  static void compare(JsonNode expected, List<List<Double>> actual) throws RolloutFailedException {
    for (int row = 0; row < expected.size(); row++) {
      JsonNode want = expected.get(row);
      List<Double> got = actual.get(row);
      for (int k = 0; k < want.size(); k++) {
        double e = want.get(k).asDouble();
        if (k >= got.size()) {
          throw new RolloutFailedException("sample row " + row + ": expected " + want + " but got " + got);
        }
        double a = got.get(k);
        if (Math.abs(a - e) > ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * Math.abs(e)) {
          throw new RolloutFailedException("smoke test failed: sample row " + row + " output " + k
              + " expected " + e + " but the new version answered " + a);
        }
      }
    }
  }

  private JsonNode call(HttpRequest request, String what) throws RolloutFailedException {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new RolloutFailedException(what + " answered " + response.statusCode() + ": " + response.body());
      }
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new RolloutFailedException(what + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RolloutFailedException("interrupted during " + what);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
