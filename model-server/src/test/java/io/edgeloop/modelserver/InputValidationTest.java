package io.edgeloop.modelserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests that do not fit the model or the protocol get OIP error objects with precise statuses. */
class InputValidationTest {

  static final int LIMIT = 2048;

  @TempDir
  static Path dir;
  static ModelServer server;
  static OipClient client;

  @BeforeAll
  static void start() throws Exception {
    server = ModelServer.start(ModelServerConfig.of(ModelPackageMother.linear(dir.resolve("pkg")))
        .withPort(0).withMaxBodyBytes(LIMIT));
    client = new OipClient(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String input(String name, String type, List<Integer> shape, Object data) {
    return OipClient.json(Map.of("inputs", List.of(Map.of("name", name, "datatype", type, "shape", shape, "data", data))));
  }

  static void assertError(OipClient.Response r, int status, String fragment) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.json().get("error").asText()).contains(fragment);
  }

  @Test
  void shouldRejectAnUnknownInputName() {
    assertError(client.post("/v2/models/rul/infer", input("feat", "FP32", List.of(1, 4), List.of(1, 2, 3, 4))),
        400, "unknown input 'feat'");
  }

  @Test
  void shouldRejectAWrongDatatype() {
    assertError(client.post("/v2/models/rul/infer", input("features", "FP64", List.of(1, 4), List.of(1, 2, 3, 4))),
        400, "must be FP32, got FP64");
    assertError(client.post("/v2/models/rul/infer", input("features", "FP16", List.of(1, 4), List.of(1, 2, 3, 4))),
        400, "datatype 'FP16' is not supported");
    assertError(client.post("/v2/models/rul/infer", input("features", "FP32", List.of(1, 4), List.of(1, "a", 3, 4))),
        400, "is not a number");
  }

  @Test
  void shouldRejectAWrongShape() {
    assertError(client.post("/v2/models/rul/infer", input("features", "FP32", List.of(1, 3), List.of(1, 2, 3))),
        400, "must have shape [-1, 4]");
    assertError(client.post("/v2/models/rul/infer", input("features", "FP32", List.of(4), List.of(1, 2, 3, 4))),
        400, "must have shape");
    assertError(client.post("/v2/models/rul/infer", input("features", "FP32", List.of(2, 4), List.of(1, 2, 3, 4))),
        400, "needs 8 elements, data has 4");
    assertError(client.post("/v2/models/rul/infer", input("features", "FP32", List.of(1, 4), List.of(1, 2, 3, 4, 5))),
        400, "more elements than its shape");
  }

  @Test
  void shouldRejectMalformedJson() {
    assertError(client.post("/v2/models/rul/infer", "{\"inputs\": [ {\"name\": "), 400, "malformed JSON");
    assertError(client.post("/v2/models/rul/infer", "[1, 2]"), 400, "must be a JSON object");
    assertError(client.post("/v2/models/rul/infer", "{\"inputs\": []}"), 400, "'inputs' must be a non-empty array");
    assertError(client.post("/v2/models/rul/infer", ""), 400, "must be a JSON object");
  }

  @Test
  void shouldRejectAnUnknownOutput() {
    String body = OipClient.json(Map.of(
        "inputs", List.of(Map.of("name", "features", "datatype", "FP32", "shape", List.of(1, 4), "data", List.of(1, 2, 3, 4))),
        "outputs", List.of(Map.of("name", "probabilities"))));
    assertError(client.post("/v2/models/rul/infer", body), 400, "unknown output 'probabilities'");
  }

  @Test
  void shouldAnswer404ForUnknownModelsVersionsAndPaths() {
    String ok = input("features", "FP32", List.of(1, 4), List.of(1, 2, 3, 4));
    assertError(client.post("/v2/models/other/infer", ok), 404, "unknown model 'other'");
    assertError(client.post("/v2/models/rul/versions/2/infer", ok), 404, "unknown version '2'");
    assertError(client.get("/v2/models/other"), 404, "unknown model");
    assertError(client.get("/v2/models/rul/versions/9/ready"), 404, "unknown version");
    assertError(client.get("/v1/models/rul"), 404, "no such endpoint");
  }

  @Test
  void shouldAnswer405ForTheWrongMethod() {
    assertError(client.get("/v2/models/rul/infer"), 405, "use POST");
    assertError(client.post("/v2/models/rul", "{}"), 405, "use GET");
  }

  @Test
  void shouldRefuseAnOversizedBodyWithoutReadingIt() throws Exception {
    float[] big = new float[LIMIT];
    assertError(client.post("/v2/models/rul/infer", input("features", "FP32", List.of(LIMIT / 4, 4), big)),
        413, "exceeds the limit of 2048 bytes");
    // Declare a huge body and send none of it: the answer must come from the header alone.
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v2/models/rul/infer HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: 1000000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(in.readLine()).startsWith("HTTP/1.1 413");
    }
  }

  @Test
  void shouldRefuseAnOversizedChunkedBody() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v2/models/rul/infer HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String chunk = "x".repeat(1000);
      for (int i = 0; i < 3; i++) {
        out.write((Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").getBytes(StandardCharsets.US_ASCII));
      }
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(in.readLine()).startsWith("HTTP/1.1 413");
    }
  }

  @Test
  void shouldStillServeAfterRejections() {
    assertThat(client.post("/v2/models/rul/infer", input("features", "FP32", List.of(1, 4), List.of(1, 2, 3, 4)))
        .status()).isEqualTo(200);
  }
}
