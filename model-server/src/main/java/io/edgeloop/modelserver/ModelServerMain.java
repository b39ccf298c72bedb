package io.edgeloop.modelserver;

import io.edgeloop.modelserver.model.ModelLoadException;

/**
 * Runs the model server standalone: {@code java -jar ... [--model-dir=DIR] [--port=8080] ...},
 * configured by environment variables and options (see {@link ModelServerConfig}). SIGTERM
 * (and Ctrl-C) shut it down gracefully; a model that cannot be loaded ends it with status 1.
 */
public final class ModelServerMain {

  private ModelServerMain() {}

  public static void main(String[] args) throws Exception {
    ModelServerConfig config;
    try {
      config = ModelServerConfig.resolve(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("edgeloop-model-server: " + e.getMessage());
      System.exit(2);
      return;
    }
    ModelServer server = ModelServer.startLoading(config);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      long begin = System.nanoTime();
      server.close();
      // stderr, not the logger: java.util.logging resets itself in its own shutdown hook
      System.err.println("edgeloop-model-server: stopped in " + (System.nanoTime() - begin) / 1_000_000 + " ms");
    }, "model-server-shutdown"));
    try {
      server.awaitReady(null);
    } catch (ModelLoadException e) {
      System.err.println("edgeloop-model-server: " + e.getMessage());
      System.exit(1);
    }
  }
}
