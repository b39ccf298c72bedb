package io.edgeloop.modelserver.http;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.edgeloop.contracts.TensorSpec;
import io.edgeloop.modelserver.inference.InferenceRequest;
import io.edgeloop.modelserver.inference.InferenceResult;
import io.edgeloop.modelserver.inference.RequestException;
import io.edgeloop.modelserver.inference.ServedModel;
import io.edgeloop.modelserver.metrics.ServerMetrics;
import io.edgeloop.modelserver.tensor.Tensor;
import io.edgeloop.modelserver.tensor.TensorJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Routes the Open Inference Protocol v2 REST API and {@code /metrics}. Errors are OIP error
 * objects {@code {"error": "..."}}; health endpoints answer with an empty body (200 = true, 503 =
 * not ready).
 */
public final class OipHandler implements HttpHandler {

  private static final System.Logger LOG = System.getLogger(OipHandler.class.getName());
  private static final String JSON_TYPE = "application/json";

  private final ModelSlot slot;
  private final ServerMetrics metrics;
  private final long maxBodyBytes;
  private final String serverVersion;
  private final ObjectMapper json = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * @param maxBodyBytes request bodies above this are refused with 413, before they are read
   * @param serverVersion the version the server metadata reports
   */
  public OipHandler(ModelSlot slot, ServerMetrics metrics, long maxBodyBytes, String serverVersion) {
    this.slot = slot;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
    this.serverVersion = serverVersion;
    metrics.gauge("in_flight", "Requests being handled now", inFlight, AtomicInteger::get);
  }

  /** Requests being handled now: what a graceful shutdown waits for. */
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    inFlight.incrementAndGet();
    long start = System.nanoTime();
    String endpoint = "unknown";
    int status;
    try {
      String[] p = segments(exchange.getRequestURI().getPath());
      endpoint = endpoint(p);
      status = route(exchange, endpoint, p, start);
    } catch (RequestException e) {
      status = error(exchange, e.status(), e.getMessage());
    } catch (OrtException | RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "request " + exchange.getRequestURI() + " failed", e);
      status = error(exchange, 500, "internal error: " + e.getMessage());
    } finally {
      exchange.close();
      inFlight.decrementAndGet();
    }
    metrics.request(endpoint, status);
  }

  private static String[] segments(String path) {
    String trimmed = path.replaceAll("^/+|/+$", "");
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/+");
  }

  /** A low-cardinality route name for metrics, or "unknown". */
  private static String endpoint(String[] p) {
    if (p.length == 1 && p[0].equals("metrics")) {
      return "metrics";
    }
    if (p.length == 0 || !p[0].equals("v2")) {
      return "unknown";
    }
    if (p.length == 1) {
      return "server_metadata";
    }
    if (p.length == 3 && p[1].equals("health") && (p[2].equals("live") || p[2].equals("ready"))) {
      return p[2];
    }
    if (p[1].equals("models") && (p.length == 3 || p.length == 4 || p.length == 5 || p.length == 6)) {
      boolean versioned = p.length >= 5;
      if (versioned && !p[3].equals("versions")) {
        return "unknown";
      }
      int base = versioned ? 5 : 3;
      if (p.length == base) {
        return "model_metadata";
      }
      if (p.length == base + 1 && (p[base].equals("ready") || p[base].equals("infer"))) {
        return p[base].equals("ready") ? "model_ready" : "infer";
      }
    }
    return "unknown";
  }

  private int route(HttpExchange ex, String endpoint, String[] p, long start) throws IOException, OrtException {
    String method = ex.getRequestMethod();
    boolean post = endpoint.equals("infer");
    if (endpoint.equals("unknown")) {
      throw RequestException.notFound("no such endpoint: " + ex.getRequestURI().getPath());
    }
    if (!method.equals(post ? "POST" : "GET")) {
      ex.getResponseHeaders().set("Allow", post ? "POST" : "GET");
      throw new RequestException(405, "use " + (post ? "POST" : "GET") + " for " + ex.getRequestURI().getPath());
    }
    String version = p.length >= 5 ? p[4] : null;
    return switch (endpoint) {
      case "live" -> empty(ex, 200);
      case "ready" -> empty(ex, slot.ready() ? 200 : 503);
      case "server_metadata" -> serverMetadata(ex);
      case "metrics" -> send(ex, 200, ServerMetrics.contentType(), metrics.scrape().getBytes(StandardCharsets.UTF_8));
      case "model_metadata" -> modelMetadata(ex, slot.require(p[2], version));
      case "model_ready" -> {
        slot.require(p[2], version);
        yield empty(ex, 200);
      }
      case "infer" -> infer(ex, p[2], version, start);
      default -> throw new IllegalStateException("unrouted endpoint " + endpoint);
    };
  }

  private int serverMetadata(HttpExchange ex) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("name", "edgeloop-model-server");
      g.writeStringField("version", serverVersion);
      g.writeArrayFieldStart("extensions");
      g.writeEndArray();
      g.writeEndObject();
    }
    return send(ex, 200, JSON_TYPE, out.toByteArray());
  }

  private int modelMetadata(HttpExchange ex, ServedModel model) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("name", model.name());
      g.writeArrayFieldStart("versions");
      g.writeString(model.version());
      g.writeEndArray();
      g.writeStringField("platform", "onnxruntime_onnx");
      writeSpecs(g, "inputs", model.inputs());
      writeSpecs(g, "outputs", model.outputs());
      g.writeEndObject();
    }
    return send(ex, 200, JSON_TYPE, out.toByteArray());
  }

  private static void writeSpecs(JsonGenerator g, String field, List<TensorSpec> specs) throws IOException {
    g.writeArrayFieldStart(field);
    for (TensorSpec t : specs) {
      g.writeStartObject();
      g.writeStringField("name", t.name());
      g.writeStringField("datatype", t.datatype());
      g.writeArrayFieldStart("shape");
      for (long d : t.shape()) {
        g.writeNumber(d);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private int infer(HttpExchange ex, String name, String version, long start) throws IOException, OrtException {
    ServedModel model = slot.require(name, version);
    byte[] body = readBody(ex);
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JsonProcessingException e) {
      throw RequestException.badRequest("malformed JSON: " + e.getOriginalMessage());
    }
    InferenceRequest request = InferenceRequest.parse(root);
    InferenceResult result = model.infer(request);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model_name", model.name());
      g.writeStringField("model_version", model.version());
      if (request.id() != null) {
        g.writeStringField("id", request.id());
      }
      g.writeArrayFieldStart("outputs");
      for (Tensor t : result.outputs()) {
        g.writeStartObject();
        g.writeStringField("name", t.name());
        g.writeStringField("datatype", t.datatype().name());
        g.writeFieldName("shape");
        long[] shape = t.shape();
        g.writeArray(shape, 0, shape.length);
        g.writeFieldName("data");
        TensorJson.writeData(g, t);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    int status = send(ex, 200, JSON_TYPE, out.toByteArray());
    metrics.inferred(result.rows(), System.nanoTime() - start);
    return status;
  }

  /** Reads the body, refusing (413) one declared or found to be over the limit without reading it all. */
  private byte[] readBody(HttpExchange ex) throws IOException {
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw RequestException.badRequest("invalid Content-Length: " + declared);
      }
      if (length > maxBodyBytes) {
        throw tooLarge(ex);
      }
    }
    // Not closed here: closing drains what is left, which for an oversized chunked body would wait
    // for the client to send all of it. The exchange closes it after the response.
    InputStream in = ex.getRequestBody();
    byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
    if (body.length > maxBodyBytes) {
      throw tooLarge(ex);
    }
    return body;
  }

  private RequestException tooLarge(HttpExchange ex) {
    // The rest of the body stays unread: close the connection rather than drain it.
    ex.getResponseHeaders().set("Connection", "close");
    return new RequestException(413, "request body exceeds the limit of " + maxBodyBytes + " bytes");
  }

  private int error(HttpExchange ex, int status, String message) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(128);
      try (JsonGenerator g = json.createGenerator(out)) {
        g.writeStartObject();
        g.writeStringField("error", message);
        g.writeEndObject();
      }
      return send(ex, status, JSON_TYPE, out.toByteArray());
    } catch (IOException e) {
      // The client went away; there is no one left to tell.
      return status;
    }
  }

  private static int empty(HttpExchange ex, int status) throws IOException {
    ex.sendResponseHeaders(status, -1);
    return status;
  }

  private static int send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
    return status;
  }
}
