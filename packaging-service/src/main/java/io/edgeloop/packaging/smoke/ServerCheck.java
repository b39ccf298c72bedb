package io.edgeloop.packaging.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.contracts.TensorSpec;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.modelpackage.Samples;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every smoke test checks against a running model server: it becomes ready, its metadata names
 * the model and lists the signature (inputs and outputs by name, in order), and it reproduces the package's recorded samples: each output
 * within {@code tolerance * (1 + |expected|)} (regression: the prediction; classifiers: the class
 * probabilities).
 */
final class ServerCheck {
  private static final Logger log = LoggerFactory.getLogger(ServerCheck.class);

  private final Duration readyTimeout;
  private final double tolerance;

  ServerCheck(Duration readyTimeout, double tolerance) {
    this.readyTimeout = readyTimeout;
    this.tolerance = tolerance;
  }

  void run(URI server, ModelManifest manifest, String servedVersion, BooleanSupplier alive)
      throws SmokeTestException, InterruptedException {
    OipClient client = new OipClient(server);
    client.awaitReady(readyTimeout, alive);
    try {
      JsonNode metadata = client.metadata(manifest.name());
      checkMetadata(manifest, metadata);
      if (servedVersion != null && !("[\"" + servedVersion + "\"]").equals(metadata.path("versions").toString())) {
        throw new SmokeTestException("the server serves versions " + metadata.path("versions") + ", not the registry's "
            + servedVersion);
      }
      String versionReady = "/v2/models/" + manifest.name() + "/versions/" + servedVersion + "/ready";
      if (servedVersion != null && client.status(versionReady) != 200) {
        throw new SmokeTestException("GET " + versionReady + " answered HTTP " + client.status(versionReady));
      }
      Samples samples = manifest.samples();
      if (samples == null || samples.rows().isEmpty()) {
        log.warn("model {} has no recorded samples: the smoke test checked readiness and metadata only", manifest.name());
        return;
      }
      JsonNode response = client.infer(manifest.name(), OipClient.inferenceRequest(manifest, samples.rows()));
      compare(manifest, response, tolerance);
      log.info("smoke test of {}: {} sample rows reproduced within {}", manifest.name(), samples.rows().size(), tolerance);
    } catch (IOException e) {
      throw new SmokeTestException("the model server failed the smoke test: " + e.getMessage(), e);
    }
  }

  /** The metadata names the model and lists its signature: the raw columns (or graph inputs) and the graph outputs. */
  static void checkMetadata(ModelManifest manifest, JsonNode metadata) throws SmokeTestException {
    List<String> inputs = manifest.preprocessing() != null
        ? manifest.preprocessing().rawColumns().stream().map(c -> c.name()).toList()
        : manifest.signature().inputs().stream().map(TensorSpec::name).toList();
    List<String> outputs = manifest.signature().outputs().stream().map(TensorSpec::name).toList();
    if (!manifest.name().equals(metadata.path("name").asText()) || !inputs.equals(names(metadata.path("inputs")))
        || !outputs.equals(names(metadata.path("outputs")))) {
      throw new SmokeTestException("the server's metadata does not list " + manifest.name() + "'s signature (inputs "
          + inputs + ", outputs " + outputs + "): " + metadata);
    }
  }

  private static List<String> names(JsonNode specs) {
    List<String> names = new java.util.ArrayList<>();
    specs.forEach(s -> names.add(s.path("name").asText()));
    return names;
  }

  /** Compares the inference response with the recorded expected outputs. */
  static void compare(ModelManifest manifest, JsonNode response, double tolerance) throws SmokeTestException {
    List<List<Double>> expected = manifest.samples().expected();
    String outputName = outputName(manifest);
    JsonNode output = null;
    for (JsonNode o : response.path("outputs")) {
      if (outputName.equals(o.path("name").asText())) {
        output = o;
      }
    }
    if (output == null) {
      throw new SmokeTestException("the response has no output '" + outputName + "': " + response);
    }
    JsonNode data = output.path("data");
    int width = expected.isEmpty() ? 0 : expected.get(0).size();
    if (data.size() != expected.size() * width) {
      throw new SmokeTestException("output '" + outputName + "' has " + data.size() + " values, expected "
          + expected.size() + " rows x " + width);
    }
    for (int r = 0; r < expected.size(); r++) {
      for (int c = 0; c < width; c++) {
        double want = expected.get(r).get(c);
        JsonNode got = data.get(r * width + c);
        if (!got.isNumber() || Math.abs(got.asDouble() - want) > tolerance * (1 + Math.abs(want))) {
          throw new SmokeTestException("sample row " + r + " output '" + outputName + "'[" + c + "]: expected " + want
              + ", the image answered " + got + " (tolerance " + tolerance + " x (1 + |expected|))");
        }
      }
    }
  }

  private static String outputName(ModelManifest manifest) {
    List<TensorSpec> outputs = manifest.signature().outputs();
    if (manifest.task().isClassification()) {
      return outputs.stream().map(TensorSpec::name).filter("probabilities"::equals).findFirst()
          .orElse(outputs.get(outputs.size() - 1).name());
    }
    return outputs.get(0).name();
  }
}
