package io.edgeloop.modelserver.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgeloop.contracts.TensorSpec;
import io.edgeloop.modelserver.inference.BatchedRuns;
import io.edgeloop.modelserver.inference.InferenceRequest;
import io.edgeloop.modelserver.inference.InferenceResult;
import io.edgeloop.modelserver.inference.RequestException;
import io.edgeloop.modelserver.inference.ServedModel;
import io.edgeloop.modelserver.metrics.ServerMetrics;
import io.edgeloop.modelserver.tensor.Tensor;
import io.edgeloop.modelserver.tensor.TensorJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Open Inference Protocol v2 REST API and {@code /metrics}, independent of the HTTP transport:
 * one request in, one {@link Reply} out. Errors are OIP error objects {@code {"error": "..."}};
 * health endpoints answer with an empty body (200 = true, 503 = not ready). Counts every answer in
 * the request metrics.
 */
public final class OipRouter {

  private static final System.Logger LOG = System.getLogger(OipRouter.class.getName());
  private static final String JSON_TYPE = "application/json";

  private final ModelSlot slot;
  private final ServerMetrics metrics;
  private final String serverVersion;
  private final ObjectMapper json = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      // FastDoubleParser (inside jackson-core): decimal parsing was a tenth of a single-row request.
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .build();

  /** @param serverVersion the version the server metadata reports */
  public OipRouter(ModelSlot slot, ServerMetrics metrics, String serverVersion) {
    this.slot = slot;
    this.metrics = metrics;
    this.serverVersion = serverVersion;
  }

  /** What a request needs: an answer now, or an inference to run first. */
  sealed interface Step permits Answer, Inference {}

  /** The request is answered. */
  record Answer(Reply reply) implements Step {}

  /** A checked, preprocessed infer request, to run (alone or with others) and then {@link #finish}. */
  record Inference(ServedModel model, ServedModel.Prepared prepared, String id, long start) implements Step {}

  /**
   * Answers one request, running its inference here; never throws.
   *
   * @param admitted whether the request began before the server started draining: such requests
   *     are still served during the drain, later ones get 503
   */
  Reply handle(String method, String path, byte[] body, boolean admitted) {
    Step step = dispatch(method, path, body, admitted);
    if (step instanceof Inference inference) {
      return finish(inference, inference.model().run(List.of(inference.prepared()), 1).get(0));
    }
    return ((Answer) step).reply();
  }

  /**
   * Answers a request, or for {@code infer} parses, checks and preprocesses it, leaving the
   * inference to the caller; never throws.
   *
   * @param admitted see {@link #handle}
   */
  Step dispatch(String method, String path, byte[] body, boolean admitted) {
    long start = System.nanoTime();
    String[] p = segments(path);
    String endpoint = endpoint(p);
    Reply reply;
    try {
      Step step = route(method, path, endpoint, p, body, admitted, start);
      if (step instanceof Inference) {
        return step;
      }
      reply = ((Answer) step).reply();
    } catch (RequestException e) {
      reply = error(e.status(), e.getMessage());
      if (e.status() == 405) {
        reply = reply.withHeader("Allow", endpoint.equals("infer") ? "POST" : "GET");
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, method + " " + path + " failed", e);
      reply = error(500, "internal error: " + e.getMessage());
    }
    metrics.request(endpoint, reply.status());
    return new Answer(reply);
  }

  /** The answer to an inference that has run; never throws. */
  Reply finish(Inference inference, BatchedRuns.Outcome outcome) {
    Reply reply;
    if (outcome.failure() != null) {
      LOG.log(System.Logger.Level.ERROR, "inference failed", outcome.failure());
      reply = error(500, "internal error: " + outcome.failure().getMessage());
    } else {
      try {
        reply = inferResponse(inference, outcome.result());
        metrics.inferred(outcome.result().rows(), System.nanoTime() - inference.start());
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "writing the inference response failed", e);
        reply = error(500, "internal error: " + e.getMessage());
      }
    }
    metrics.request("infer", reply.status());
    return reply;
  }

  /**
   * The answer to a request refused before the router saw it (by the transport: body over the
   * limit, not HTTP, shutting down), counted like any other.
   *
   * @param path the request's path; null when unknown
   */
  Reply refuse(String path, int status, String message) {
    Reply reply = error(status, message);
    metrics.request(path == null ? "unknown" : endpoint(segments(path)), status);
    return reply;
  }

  /** The path's segments without empty ones: {@code //v2/models/} = {@code [v2, models]}. */
  private static String[] segments(String path) {
    java.util.ArrayList<String> out = new java.util.ArrayList<>(6);
    int i = 0;
    int n = path.length();
    while (i < n) {
      int slash = path.indexOf('/', i);
      int end = slash < 0 ? n : slash;
      if (end > i) {
        out.add(path.substring(i, end));
      }
      i = end + 1;
    }
    return out.toArray(new String[0]);
  }
  /** The route name of {@code path} ({@code infer}, {@code metrics}, ... or {@code unknown}): what authentication decides by. */
  static String endpointOf(String path) {
    return endpoint(segments(path));
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

  private Step route(String method, String path, String endpoint, String[] p, byte[] body, boolean admitted,
      long start) throws IOException {
    boolean post = endpoint.equals("infer");
    if (endpoint.equals("unknown")) {
      throw RequestException.notFound("no such endpoint: " + path);
    }
    if (!method.equals(post ? "POST" : "GET")) {
      throw new RequestException(405, "use " + (post ? "POST" : "GET") + " for " + path);
    }
    String version = p.length >= 5 ? p[4] : null;
    if (post) {
      return prepare(slot.require(p[2], version, admitted), body, start);
    }
    return new Answer(switch (endpoint) {
      case "live" -> Reply.empty(200);
      case "ready" -> Reply.empty(slot.ready() ? 200 : 503);
      case "server_metadata" -> serverMetadata();
      case "metrics" -> Reply.of(200, ServerMetrics.contentType(), metrics.scrape().getBytes(StandardCharsets.UTF_8));
      case "model_metadata" -> modelMetadata(slot.require(p[2], version, admitted));
      case "model_ready" -> {
        slot.require(p[2], version, admitted);
        yield Reply.empty(200);
      }
      default -> throw new IllegalStateException("unrouted endpoint " + endpoint);
    });
  }

  private Reply serverMetadata() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("name", "edgeloop-model-server");
      g.writeStringField("version", serverVersion);
      g.writeArrayFieldStart("extensions");
      g.writeEndArray();
      g.writeEndObject();
    }
    return Reply.of(200, JSON_TYPE, out.toByteArray());
  }

  private Reply modelMetadata(ServedModel model) throws IOException {
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
    return Reply.of(200, JSON_TYPE, out.toByteArray());
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

  private Inference prepare(ServedModel model, byte[] body, long start) throws IOException {
    InferenceRequest request;
    try (JsonParser parser = json.createParser(body)) {
      request = InferenceRequest.parse(parser);
    } catch (JsonProcessingException e) {
      throw RequestException.badRequest("malformed JSON: " + e.getOriginalMessage());
    }
    return new Inference(model, model.prepare(request), request.id(), start);
  }

  private Reply inferResponse(Inference inference, InferenceResult result) throws IOException {
    ServedModel model = inference.model();
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model_name", model.name());
      g.writeStringField("model_version", model.version());
      if (inference.id() != null) {
        g.writeStringField("id", inference.id());
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
    return Reply.of(200, JSON_TYPE, out.toByteArray());
  }

  private Reply error(int status, String message) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(128);
      try (JsonGenerator g = json.createGenerator(out)) {
        g.writeStartObject();
        g.writeStringField("error", message);
        g.writeEndObject();
      }
      return Reply.of(status, JSON_TYPE, out.toByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("writing JSON to memory failed", e);
    }
  }
}
