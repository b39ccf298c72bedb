package io.edgeloop.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A plain Open Inference Protocol v2 client: reads the model's inputs from its metadata and sends
 * one engine's rows (in cycle order, one tensor per raw column) in one request; the served model
 * keeps the engine's history and answers one prediction per row.
 */
final class OipClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;

  OipClient(String baseUrl) {
    this.baseUrl = baseUrl.replaceAll("/+$", "");
  }

  String baseUrl() {
    return baseUrl;
  }

  boolean ready() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v2/health/ready")).build(), HttpResponse.BodyHandlers.discarding())
              .statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The model's metadata ({@code GET /v2/models/{name}}). */
  JsonNode metadata(String model) throws IOException, InterruptedException {
    return JSON.readTree(send(HttpRequest.newBuilder(URI.create(baseUrl + "/v2/models/" + model)).GET()));
  }

  /**
   * The prediction for the last of {@code rows} (each row: the 26 C-MAPSS columns by name), after
   * the server has seen all of them in order.
   */
  double predictLast(String model, List<String> inputNames, List<String> inputTypes, List<double[]> rows, List<String> columns)
      throws IOException, InterruptedException {
    ObjectNode request = JSON.createObjectNode();
    ArrayNode inputs = request.putArray("inputs");
    for (int i = 0; i < inputNames.size(); i++) {
      String name = inputNames.get(i);
      int column = columns.indexOf(name);
      if (column < 0) {
        throw new IOException("the model wants input '" + name + "' that the data does not have");
      }
      ObjectNode tensor = inputs.addObject();
      tensor.put("name", name);
      tensor.put("datatype", inputTypes.get(i));
      tensor.putArray("shape").add(rows.size());
      ArrayNode data = tensor.putArray("data");
      for (double[] row : rows) {
        if (inputTypes.get(i).startsWith("INT")) {
          data.add((long) row[column]);
        } else {
          data.add(row[column]);
        }
      }
    }
    JsonNode response =
        JSON.readTree(
            send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/v2/models/" + model + "/infer"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request)))));
    JsonNode data = response.path("outputs").path(0).path("data");
    if (!data.isArray() || data.isEmpty()) {
      throw new IOException("no output data in " + response);
    }
    return data.get(data.size() - 1).asDouble();
  }

  private String send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode() + " from " + request.build().uri() + ": " + response.body());
    }
    return response.body();
  }
}
