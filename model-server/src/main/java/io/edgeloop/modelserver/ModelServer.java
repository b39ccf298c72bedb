package io.edgeloop.modelserver;

import io.edgeloop.modelserver.http.HttpTransport;
import io.edgeloop.modelserver.http.ModelSlot;
import io.edgeloop.modelserver.http.OipRouter;
import io.edgeloop.modelserver.inference.ModelPackageLoader;
import io.edgeloop.modelserver.inference.ServedModel;
import io.edgeloop.modelserver.metrics.ServerMetrics;
import io.edgeloop.modelserver.model.ModelLoadException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A running model server: the Open Inference Protocol v2 over HTTP/1.1 (Netty), for one model
 * package, embeddable ({@link #start}) and standalone ({@link ModelServerMain}).
 *
 * <p>{@link #close} shuts down gracefully: readiness turns false (new requests get 503), requests
 * already begun (a body still arriving counts) may finish within the drain timeout, then the
 * listener, connections and threads stop and the ONNX Runtime session is closed.
 */
public final class ModelServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ModelServer.class.getName());
  /**
   * The JDK modules the server needs on a jlinked runtime: {@code jdk.unsupported} lets Netty use
   * direct buffers without copies, {@code jdk.management} only adds {@code process_cpu_usage}.
   * {@code ModelServerMainIT} serves from a runtime of exactly these.
   */
  public static final List<String> RUNTIME_MODULES =
      List.of("java.base", "java.logging", "java.management", "jdk.management", "jdk.unsupported");

  private final ModelServerConfig config;
  private final HttpTransport http;
  private final ModelSlot slot;
  private final AtomicInteger inFlight;
  private final CompletableFuture<ServedModel> loading;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ModelServer(ModelServerConfig config, HttpTransport http, ModelSlot slot, AtomicInteger inFlight,
      CompletableFuture<ServedModel> loading) {
    this.config = config;
    this.http = http;
    this.slot = slot;
    this.inFlight = inFlight;
    this.loading = loading;
  }

  /**
   * Loads the model package and serves it; returns once the server is ready.
   *
   * @throws IOException when the address cannot be bound
   * @throws ModelLoadException when the package cannot be served (the server is stopped again)
   */
  public static ModelServer start(ModelServerConfig config) throws IOException {
    ModelServer server = startLoading(config);
    try {
      server.awaitReady(null);
      return server;
    } catch (ModelLoadException e) {
      server.close();
      throw e;
    }
  }

  /**
   * Binds the port at once (liveness answers 200, readiness 503) and loads the model in the
   * background: how the standalone server starts, so that probes see it alive during a long load.
   *
   * @throws IOException when the address cannot be bound
   */
  public static ModelServer startLoading(ModelServerConfig config) throws IOException {
    return start(config, () -> ModelPackageLoader.load(config.modelDir(), config.intraOpThreads(), config.modelVersion()));
  }

  /** Starts with a custom model source, loaded in the background. */
  static ModelServer start(ModelServerConfig config, Supplier<ServedModel> loader) throws IOException {
    ServerMetrics metrics = new ServerMetrics();
    ModelSlot slot = new ModelSlot();
    AtomicInteger inFlight = new AtomicInteger();
    metrics.gauge("in_flight", "Requests begun and not yet answered", inFlight, AtomicInteger::get);
    OipRouter router = new OipRouter(slot, metrics, serverVersion());
    HttpTransport http = HttpTransport.start(config.host(), config.port(), config.threads(), config.maxBodyBytes(),
        config.maxBatchRows(), router, slot, metrics, inFlight, config.auth());
    // `loading` completes only once the model is in the slot, so whoever waits on it (start,
    // awaitReady) finds the server ready when the wait returns.
    CompletableFuture<ServedModel> loading = CompletableFuture.supplyAsync(loader, runnable -> {
      Thread t = new Thread(runnable, "model-loader");
      t.start();
    }).thenApply(model -> {
      metrics.modelInfo(model.name(), model.version());
      metrics.gauge("tracked_groups", "Groups whose feature history is kept", model, ServedModel::trackedGroups);
      slot.set(model);
      LOG.log(System.Logger.Level.INFO, "serving model " + model.name() + " version " + model.version()
          + " on " + http.address() + " (" + http.kind() + ")");
      return model;
    });
    loading.whenComplete((model, failure) -> {
      if (failure != null) {
        LOG.log(System.Logger.Level.ERROR, "cannot load the model from " + config.modelDir(), failure);
      }
    });
    return new ModelServer(config, http, slot, inFlight, loading);
  }

  private static String serverVersion() {
    String v = ModelServer.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /**
   * Waits until the model is loaded.
   *
   * @param timeout null = no limit
   * @throws ModelLoadException when loading failed or did not finish in time
   */
  public void awaitReady(Duration timeout) {
    try {
      if (timeout == null) {
        loading.get();
      } else {
        loading.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof ModelLoadException m ? m
          : new ModelLoadException("cannot load the model: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new ModelLoadException("the model did not load within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelLoadException("interrupted while waiting for the model to load");
    }
  }

  /** The port the server listens on (the bound one when configured as 0). */
  public int port() {
    return http.address().getPort();
  }

  /** The base URI, e.g. {@code http://127.0.0.1:8080}. */
  public URI uri() {
    return URI.create("http://" + config.host() + ":" + port());
  }

  /** Whether the model is loaded and the server is not shutting down. */
  public boolean isReady() {
    return slot.ready();
  }

  /** Shuts down gracefully (see the class comment); calling it again does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    slot.drain();
    long begin = System.nanoTime();
    long deadline = System.nanoTime() + config.drainTimeout().toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (inFlight.get() > 0) {
      LOG.log(System.Logger.Level.WARNING, inFlight.get() + " requests still running after the drain timeout");
    }
    http.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())).plusSeconds(1));
    // If the model is still loading, it is closed once it has loaded.
    loading.thenAccept(model -> {
      try {
        model.close();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.WARNING, "closing the ONNX Runtime session failed", e);
      }
    });
    LOG.log(System.Logger.Level.INFO, "model server stopped in "
        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin) + " ms");
  }
}
