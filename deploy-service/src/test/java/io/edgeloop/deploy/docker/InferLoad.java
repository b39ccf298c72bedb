package io.edgeloop.deploy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded loop of infer calls against one port on loopback (a keep-alive HTTP/1.1 client, as
 * a real client would use), counting failures and which prediction answered.
 */
public final class InferLoad implements Runnable {
  public static final String BODY = "{\"inputs\":[{\"name\":\"x1\",\"datatype\":\"FP64\",\"shape\":[1],\"data\":[1.0]},"
      + "{\"name\":\"x2\",\"datatype\":\"FP64\",\"shape\":[1],\"data\":[2.0]}]}";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  private final URI uri;
  private final int maxRequests;
  private final AtomicBoolean stop = new AtomicBoolean();
  public final AtomicInteger sent = new AtomicInteger();
  public final AtomicInteger failed = new AtomicInteger();
  public final Map<Double, Integer> answers = new ConcurrentHashMap<>();
  public final Map<String, Integer> errors = new ConcurrentHashMap<>();

  public InferLoad(int port, String model, int maxRequests) {
    this.uri = URI.create("http://127.0.0.1:" + port + "/v2/models/" + model + "/infer");
    this.maxRequests = maxRequests;
  }

  /** One infer call for x1 = 1, x2 = 2; the prediction. */
  public static double inferOnce(int port, String model) throws Exception {
    InferLoad one = new InferLoad(port, model, 1);
    return one.call();
  }

  public void stop() {
    stop.set(true);
  }

  @Override
  public void run() {
    while (!stop.get() && sent.get() < maxRequests) {
      sent.incrementAndGet();
      try {
        answers.merge(call(), 1, Integer::sum);
      } catch (Exception e) {
        failed.incrementAndGet();
        errors.merge(e.toString(), 1, Integer::sum);
      }
    }
  }

  private double call() throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
    }
    JsonNode output = JSON.readTree(response.body()).path("outputs").path(0).path("data").path(0);
    return Math.round(output.asDouble() * 1000) / 1000.0;
  }
}
