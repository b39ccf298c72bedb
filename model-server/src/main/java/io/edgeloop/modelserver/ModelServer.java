package io.edgeloop.modelserver;

import com.sun.net.httpserver.HttpServer;
import io.edgeloop.modelserver.http.ModelSlot;
import io.edgeloop.modelserver.http.OipHandler;
import io.edgeloop.modelserver.inference.ModelPackageLoader;
import io.edgeloop.modelserver.inference.ServedModel;
import io.edgeloop.modelserver.metrics.ServerMetrics;
import io.edgeloop.modelserver.model.ModelLoadException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A running model server: the Open Inference Protocol v2 over the JDK's HTTP server, for one model
 * package, embeddable ({@link #start}) and standalone ({@link ModelServerMain}).
 *
 * <p>{@link #close} shuts down gracefully: readiness turns false (new requests get 503), in-flight
 * requests may finish within the drain timeout, then the listener and workers stop and the ONNX
 * Runtime session is closed. (The JDK 17 {@code HttpServer.stop(delay)} waits the whole delay when
 * idle, so the server counts in-flight requests itself and stops with no delay.)
 */
public final class ModelServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ModelServer.class.getName());
  private static final String NODELAY = "sun.net.httpserver.nodelay";

  private final ModelServerConfig config;
  private final HttpServer http;
  private final ExecutorService workers;
  private final ModelSlot slot;
  private final OipHandler handler;
  private final CompletableFuture<ServedModel> loading;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ModelServer(ModelServerConfig config, HttpServer http, ExecutorService workers, ModelSlot slot,
      OipHandler handler, CompletableFuture<ServedModel> loading) {
    this.config = config;
    this.http = http;
    this.workers = workers;
    this.slot = slot;
    this.handler = handler;
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
    return start(config, () -> ModelPackageLoader.load(config.modelDir(), config.intraOpThreads()));
  }

  /** Starts with a custom model source, loaded in the background. */
  static ModelServer start(ModelServerConfig config, Supplier<ServedModel> loader) throws IOException {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
    // delayed ACK: ~40 ms per keep-alive request. Read once, when the JDK's first HttpServer starts.
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
    ServerMetrics metrics = new ServerMetrics();
    ModelSlot slot = new ModelSlot();
    OipHandler handler = new OipHandler(slot, metrics, config.maxBodyBytes(), serverVersion());
    HttpServer http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 1024);
    ExecutorService workers = workers(config.threads());
    http.setExecutor(workers);
    http.createContext("/", handler);
    http.start();
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
          + " on " + http.getAddress());
      return model;
    });
    loading.whenComplete((model, failure) -> {
      if (failure != null) {
        LOG.log(System.Logger.Level.ERROR, "cannot load the model from " + config.modelDir(), failure);
      }
    });
    return new ModelServer(config, http, workers, slot, handler, loading);
  }

  private static ExecutorService workers(int threads) {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "model-server-" + count.incrementAndGet());
      t.setDaemon(false);
      return t;
    });
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
    return http.getAddress().getPort();
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
    while (handler.inFlight() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (handler.inFlight() > 0) {
      LOG.log(System.Logger.Level.WARNING, handler.inFlight() + " requests still running after the drain timeout");
    }
    http.stop(0);
    workers.shutdown();
    try {
      workers.awaitTermination(Math.max(0, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(1),
          TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
