package io.edgeloop.modelserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients at once over HTTP: whatever requests the server runs together (dynamic batching),
 * every client gets the prediction for its own rows and its own id back.
 */
class ConcurrentClientsTest {

  static final int CLIENTS = 16;
  static final int REQUESTS_EACH = 30;

  @TempDir
  Path dir;

  @Test
  void shouldAnswerEveryClientWithItsOwnRows() throws Exception {
    try (ModelServer server = ModelServer.start(ModelServerConfig.of(ModelPackageMother.linear(dir)).withPort(0))) {
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      try {
        List<Future<Integer>> done = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          int client = c;
          done.add(clients.submit(() -> runClient(server, client)));
        }
        int checked = 0;
        for (Future<Integer> f : done) {
          checked += f.get(60, TimeUnit.SECONDS);
        }
        assertThat(checked).isEqualTo(CLIENTS * REQUESTS_EACH);
      } finally {
        clients.shutdownNow();
      }
      String metrics = new OipClient(server).get("/metrics").body();
      assertThat(metrics).contains("edgeloop_inference_requests_total{endpoint=\"infer\",status=\"200\"} "
          + (CLIENTS * REQUESTS_EACH) + ".0");
      assertThat(metrics).containsPattern("edgeloop_inference_batch_requests_count [1-9]");
    }
  }

  @Test
  void shouldServeALargeBatchOnAWorker() throws Exception {
    try (ModelServer server = ModelServer.start(ModelServerConfig.of(ModelPackageMother.linear(dir)).withPort(0))) {
      float[][] x = BatchedRunsTest.randomRows(new Random(3), 4000);
      String body = OipClient.json(Map.of("inputs", List.of(Map.of("name", "features", "datatype", "FP32",
          "shape", List.of(x.length, x[0].length), "data", x))));
      assertThat(body.length()).as("above the inline limit").isGreaterThan(64 * 1024);
      OipClient.Response r = new OipClient(server).post("/v2/models/rul/infer", body);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      JsonNode data = r.json().get("outputs").get(0).get("data");
      assertThat(data.size()).isEqualTo(x.length);
      assertThat(data.get(3999).floatValue()).isCloseTo(BatchedRunsTest.predict(x[3999]), within(1e-3f));
    }
  }

  @Test
  void shouldAnswerPipelinedRequestsInOrder() throws Exception {
    try (ModelServer server = ModelServer.start(ModelServerConfig.of(ModelPackageMother.linear(dir)).withPort(0))) {
      float[][] big = BatchedRunsTest.randomRows(new Random(5), 4000);
      String large = OipClient.json(Map.of("id", "large", "inputs", List.of(Map.of("name", "features",
          "datatype", "FP32", "shape", List.of(big.length, 4), "data", big))));
      String small = OipClient.json(Map.of("id", "small", "inputs", List.of(Map.of("name", "features",
          "datatype", "FP32", "shape", List.of(1, 4), "data", List.of(1, 2, 3, 4)))));
      // One write: a large batch (run on a worker), a small infer, then a metadata GET.
      String pipelined = post(large) + post(small) + "GET /v2/models/rul HTTP/1.1\r\nHost: localhost\r\n\r\n";
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(pipelined.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
        assertThat(readResponseBody(in)).contains("\"id\":\"large\"");
        assertThat(readResponseBody(in)).contains("\"id\":\"small\"");
        assertThat(readResponseBody(in)).contains("\"platform\":\"onnxruntime_onnx\"");
      }
    }
  }

  private static String post(String body) {
    return "POST /v2/models/rul/infer HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  /** Reads one HTTP response with a Content-Length and returns its body. */
  private static String readResponseBody(java.io.DataInputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      head.append((char) in.readUnsignedByte());
    }
    assertThat(head.toString()).startsWith("HTTP/1.1 200");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    assertThat(m.find()).as(head.toString()).isTrue();
    byte[] body = new byte[Integer.parseInt(m.group(1))];
    in.readFully(body);
    return new String(body, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static int runClient(ModelServer server, int client) {
    OipClient http = new OipClient(server);
    Random random = new Random(client);
    int checked = 0;
    for (int i = 0; i < REQUESTS_EACH; i++) {
      int rows = 1 + random.nextInt(3);
      float[][] x = BatchedRunsTest.randomRows(random, rows);
      String id = "client-" + client + "-" + i;
      String body = OipClient.json(Map.of("id", id, "inputs", List.of(Map.of("name", "features", "datatype", "FP32",
          "shape", List.of(rows, x[0].length), "data", x))));
      OipClient.Response r = http.post("/v2/models/rul/infer", body);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      JsonNode json = r.json();
      assertThat(json.get("id").asText()).isEqualTo(id);
      JsonNode data = json.get("outputs").get(0).get("data");
      assertThat(data.size()).isEqualTo(rows);
      for (int row = 0; row < rows; row++) {
        assertThat(data.get(row).floatValue()).as("%s row %d", id, row)
            .isCloseTo(BatchedRunsTest.predict(x[row]), within(1e-3f));
      }
      checked++;
    }
    return checked;
  }
}
