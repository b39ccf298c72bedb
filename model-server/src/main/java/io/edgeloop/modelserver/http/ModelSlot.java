package io.edgeloop.modelserver.http;

import io.edgeloop.modelserver.inference.RequestException;
import io.edgeloop.modelserver.inference.ServedModel;

/**
 * The served model and the server's readiness: empty while the model loads, ready once loaded,
 * not ready again once draining for shutdown.
 */
public final class ModelSlot {

  private volatile ServedModel model;
  private volatile boolean draining;

  /** Makes {@code loaded} the served model; the server is ready from now on. */
  public void set(ServedModel loaded) {
    this.model = loaded;
  }

  /** Marks the server not ready, so that load balancers stop sending it requests. */
  public void drain() {
    this.draining = true;
  }

  public boolean draining() {
    return draining;
  }

  public boolean ready() {
    return model != null && !draining;
  }

  /** The loaded model, also while draining; null while loading. */
  public ServedModel model() {
    return model;
  }

  /**
   * The model for a request naming {@code name} and optionally {@code version}.
   *
   * @param admitted whether the request began before draining did (it is still served then)
   * @throws RequestException 503 while loading or (for requests not admitted) draining, 404 for
   *     another name or version
   */
  ServedModel require(String name, String version, boolean admitted) {
    ServedModel m = model;
    if (m == null || (draining && !admitted)) {
      throw new RequestException(503, m == null ? "the model is loading" : "the server is shutting down");
    }
    if (!m.name().equals(name)) {
      throw RequestException.notFound("unknown model '" + name + "'; this server serves '" + m.name() + "'");
    }
    if (version != null && !m.version().equals(version)) {
      throw RequestException.notFound("unknown version '" + version + "' of model '" + name
          + "'; this server serves version " + m.version());
    }
    return m;
  }
}
