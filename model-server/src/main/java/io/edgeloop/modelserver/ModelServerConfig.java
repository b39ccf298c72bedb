package io.edgeloop.modelserver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of one model server. Each component has an environment variable (read by
 * {@link #resolve}) and a command-line option {@code --name=value} that overrides it.
 *
 * @param modelDir the model package directory ({@code model.onnx} + {@code edgeloop-model.json});
 *     {@code EDGELOOP_MODEL_DIR}, {@code --model-dir}; required
 * @param host address to listen on; {@code EDGELOOP_HOST}, {@code --host}; default
 *     {@code 127.0.0.1} (set {@code 0.0.0.0} inside a container)
 * @param port TCP port, 0 = any free port; {@code EDGELOOP_PORT}, {@code --port}; default 8080
 * @param maxBodyBytes larger request bodies get 413 before they are read;
 *     {@code EDGELOOP_MAX_BODY_BYTES}, {@code --max-body-bytes}; default 4 MiB
 * @param threads HTTP worker threads, each running one request at a time;
 *     {@code EDGELOOP_THREADS}, {@code --threads}; default the number of cores (at least 2)
 * @param intraOpThreads ONNX Runtime threads per inference; 1 gives the lowest single-row latency
 *     when requests already run in parallel, more helps large batches;
 *     {@code EDGELOOP_INTRA_OP_THREADS}, {@code --intra-op-threads}; default 1
 * @param maxBatchRows requests that arrive together are run in one ONNX Runtime call of up to this
 *     many rows (dynamic batching, see {@code BatchedRuns}); 1 = each request alone;
 *     {@code EDGELOOP_MAX_BATCH_ROWS}, {@code --max-batch-rows}; default 256
 * @param drainTimeout on shutdown, how long in-flight requests may still take;
 *     {@code EDGELOOP_DRAIN_SECONDS}, {@code --drain-seconds}; default 10 s
 * @param modelVersion the version the server reports and answers to ({@code model_version},
 *     {@code /v2/models/{name}/versions/{v}}): the model registry's version, which packaging sets in
 *     the image because the package itself is written before the registry numbers it;
 *     {@code EDGELOOP_MODEL_VERSION}, {@code --model-version}; default null = the package manifest's
 * @param auth which requests need a bearer token, and which tokens are accepted; default none
 *     (see {@link ModelServerAuth})
 */
public record ModelServerConfig(
    Path modelDir,
    String host,
    int port,
    long maxBodyBytes,
    int threads,
    int intraOpThreads,
    int maxBatchRows,
    Duration drainTimeout,
    String modelVersion,
    ModelServerAuth auth) {

  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
  public static final int DEFAULT_MAX_BATCH_ROWS = 256;

  public ModelServerConfig {
    Objects.requireNonNull(modelDir, "modelDir");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    Objects.requireNonNull(auth, "auth");
    modelVersion = modelVersion == null || modelVersion.isBlank() ? null : modelVersion.strip();
    require(modelVersion == null || modelVersion.matches("[A-Za-z0-9._-]{1,64}"),
        "modelVersion must be 1-64 letters, digits, '.', '_' or '-', got '" + modelVersion + "'");
    require(port >= 0 && port <= 65535, "port must be 0..65535, got " + port);
    require(maxBodyBytes > 0, "maxBodyBytes must be > 0");
    require(threads > 0, "threads must be > 0");
    require(intraOpThreads > 0, "intraOpThreads must be > 0");
    require(maxBatchRows > 0, "maxBatchRows must be > 0");
    require(!drainTimeout.isNegative(), "drainTimeout must not be negative");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The defaults for serving {@code modelDir}: loopback, port 8080. */
  public static ModelServerConfig of(Path modelDir) {
    return new ModelServerConfig(modelDir, "127.0.0.1", DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES,
        Math.max(2, Runtime.getRuntime().availableProcessors()), 1, DEFAULT_MAX_BATCH_ROWS, Duration.ofSeconds(10), null, ModelServerAuth.NONE);
  }

  public ModelServerConfig withHost(String newHost) {
    return new ModelServerConfig(modelDir, newHost, port, maxBodyBytes, threads, intraOpThreads, maxBatchRows, drainTimeout, modelVersion, auth);
  }

  public ModelServerConfig withPort(int newPort) {
    return new ModelServerConfig(modelDir, host, newPort, maxBodyBytes, threads, intraOpThreads, maxBatchRows, drainTimeout, modelVersion, auth);
  }

  public ModelServerConfig withMaxBodyBytes(long newMax) {
    return new ModelServerConfig(modelDir, host, port, newMax, threads, intraOpThreads, maxBatchRows, drainTimeout, modelVersion, auth);
  }

  public ModelServerConfig withThreads(int newThreads) {
    return new ModelServerConfig(modelDir, host, port, maxBodyBytes, newThreads, intraOpThreads, maxBatchRows, drainTimeout, modelVersion, auth);
  }

  public ModelServerConfig withIntraOpThreads(int newIntraOp) {
    return new ModelServerConfig(modelDir, host, port, maxBodyBytes, threads, newIntraOp, maxBatchRows, drainTimeout, modelVersion, auth);
  }

  public ModelServerConfig withMaxBatchRows(int newMaxRows) {
    return new ModelServerConfig(modelDir, host, port, maxBodyBytes, threads, intraOpThreads, newMaxRows, drainTimeout, modelVersion, auth);
  }

  public ModelServerConfig withModelVersion(String newVersion) {
    return new ModelServerConfig(modelDir, host, port, maxBodyBytes, threads, intraOpThreads, maxBatchRows, drainTimeout, newVersion, auth);
  }

  public ModelServerConfig withAuth(ModelServerAuth newAuth) {
    return new ModelServerConfig(modelDir, host, port, maxBodyBytes, threads, intraOpThreads, maxBatchRows, drainTimeout, modelVersion, newAuth);
  }

  public ModelServerConfig withDrainTimeout(Duration newDrain) {
    return new ModelServerConfig(modelDir, host, port, maxBodyBytes, threads, intraOpThreads, maxBatchRows, newDrain, modelVersion, auth);
  }

  /**
   * The configuration from environment variables, overridden by {@code --name=value} arguments
   * (see the component docs for the names).
   *
   * @throws IllegalArgumentException on an unknown option, a malformed value, or no model directory
   */
  public static ModelServerConfig resolve(String[] args, Map<String, String> env) {
    Map<String, String> values = new java.util.HashMap<>();
    Map<String, String> envNames = Map.ofEntries(
        Map.entry("model-dir", "EDGELOOP_MODEL_DIR"), Map.entry("host", "EDGELOOP_HOST"), Map.entry("port", "EDGELOOP_PORT"),
        Map.entry("max-body-bytes", "EDGELOOP_MAX_BODY_BYTES"), Map.entry("threads", "EDGELOOP_THREADS"),
        Map.entry("intra-op-threads", "EDGELOOP_INTRA_OP_THREADS"), Map.entry("max-batch-rows", "EDGELOOP_MAX_BATCH_ROWS"),
        Map.entry("drain-seconds", "EDGELOOP_DRAIN_SECONDS"), Map.entry("model-version", "EDGELOOP_MODEL_VERSION"), Map.entry("auth-token-sha256", "EDGELOOP_AUTH_TOKEN_SHA256"),
        Map.entry("auth-tokens-file", "EDGELOOP_AUTH_TOKENS_FILE"), Map.entry("auth-scope", "EDGELOOP_AUTH_SCOPE"));
    envNames.forEach((option, variable) -> {
      String v = env.get(variable);
      if (v != null && !v.isBlank()) {
        values.put(option, v.trim());
      }
    });
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String option = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
      if (option == null || !envNames.containsKey(option)) {
        throw new IllegalArgumentException("unknown argument '" + arg + "'; options: --"
            + String.join("=.. --", new java.util.TreeSet<>(envNames.keySet())) + "=..");
      }
      values.put(option, arg.substring(eq + 1));
    }
    String dir = values.get("model-dir");
    if (dir == null) {
      throw new IllegalArgumentException("no model package: set EDGELOOP_MODEL_DIR or --model-dir=DIR");
    }
    ModelServerConfig c = of(Path.of(dir));
    try {
      if (values.containsKey("host")) {
        c = c.withHost(values.get("host"));
      }
      if (values.containsKey("port")) {
        c = c.withPort(Integer.parseInt(values.get("port")));
      }
      if (values.containsKey("max-body-bytes")) {
        c = c.withMaxBodyBytes(Long.parseLong(values.get("max-body-bytes")));
      }
      if (values.containsKey("threads")) {
        c = c.withThreads(Integer.parseInt(values.get("threads")));
      }
      if (values.containsKey("intra-op-threads")) {
        c = c.withIntraOpThreads(Integer.parseInt(values.get("intra-op-threads")));
      }
      if (values.containsKey("max-batch-rows")) {
        c = c.withMaxBatchRows(Integer.parseInt(values.get("max-batch-rows")));
      }
      if (values.containsKey("model-version")) {
        c = c.withModelVersion(values.get("model-version"));
      }
      if (values.containsKey("drain-seconds")) {
        c = c.withDrainTimeout(Duration.ofSeconds(Long.parseLong(values.get("drain-seconds"))));
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + e.getMessage(), e);
    }
    return c.withAuth(ModelServerAuth.resolve(values.get("auth-token-sha256"), values.get("auth-tokens-file"), values.get("auth-scope")));
  }
}
