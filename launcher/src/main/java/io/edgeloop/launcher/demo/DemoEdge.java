package io.edgeloop.launcher.demo;

import io.edgeloop.contracts.ModelDeployed;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.launcher.Stack;
import io.edgeloop.launcher.cli.ApiClient;
import io.edgeloop.launcher.cli.Service;
import io.edgeloop.launcher.edge.EdgeEnvironment;
import io.edgeloop.modelserver.ModelServer;
import io.edgeloop.modelserver.ModelServerConfig;
import io.edgeloop.storage.ArtifactStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The demo's edge: the environment one-command mode detects ({@link EdgeEnvironment}, shared with
 * {@code up}), plus how the demo waits for a model to serve there: a container on the local Docker
 * engine (deployed by the deploy service from an image the packaging service pushed), or, where
 * the engine is missing, the same model package served in-process by the model server.
 */
final class DemoEdge implements AutoCloseable {
  private final EdgeEnvironment environment;
  private ModelServer inProcessServer;

  private DemoEdge(EdgeEnvironment environment) {
    this.environment = environment;
  }

  static DemoEdge inProcess(String why) {
    return new DemoEdge(EdgeEnvironment.none(why));
  }

  static DemoEdge detect(Path dataDir) throws IOException, InterruptedException {
    return new DemoEdge(EdgeEnvironment.detect(dataDir));
  }

  boolean buildsImages() {
    return environment.buildsImages();
  }

  String targetKind() {
    return environment.targetKind();
  }

  String describe() {
    return "edge target: " + environment.describe();
  }

  /** The environment's settings, plus: every version gets an image, so the second version's upload can be measured. */
  Map<String, String> serviceProperties() {
    Map<String, String> properties = new LinkedHashMap<>(environment.serviceProperties(9000));
    properties.put("edgeloop.packaging.policy", "all");
    return properties;
  }

  /** Waits until {@code model} serves at the edge and returns where. */
  DemoCommand.Serving serve(EventFollower events, ModelTrained model, Duration timeout, Stack stack)
      throws IOException, InterruptedException, TimeoutException {
    if (environment.docker()) {
      ModelDeployed deployed = awaitRollout(events, model, timeout, stack);
      if (deployed.status() != io.edgeloop.contracts.DeploymentOutcome.DEPLOYED) {
        throw new IllegalStateException("rollout of v" + model.modelVersion() + " to " + deployed.target() + " ended " + deployed.status() + ": " + deployed.message());
      }
      String url = stack.edgeTargetUrl();
      awaitReady(new OipClient(url), timeout);
      return new DemoCommand.Serving(url, model.modelVersion(), null);
    }
    Path packageDir = localPackage(model, stack);
    if (inProcessServer != null) {
      inProcessServer.close();
    }
    inProcessServer = ModelServer.start(ModelServerConfig.of(packageDir).withPort(0));
    return new DemoCommand.Serving(inProcessServer.uri().toString(), model.modelVersion(), inProcessServer);
  }

  /**
   * Waits for the rollout of {@code model}, and stops early with the packaging service's reason
   * when its image build failed (a failed build announces nothing, by design).
   */
  private static ModelDeployed awaitRollout(EventFollower events, ModelTrained model, Duration timeout, Stack stack)
      throws IOException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ApiClient api = ApiClient.of(stack.tokenFile());
    while (true) {
      try {
        return events.await(
            ModelDeployed.class,
            d -> d.modelName().equals(model.modelName()) && d.modelVersion() == model.modelVersion() && d.status() != io.edgeloop.contracts.DeploymentOutcome.PENDING,
            Duration.ofSeconds(3),
            "a rollout of v" + model.modelVersion());
      } catch (TimeoutException stillWaiting) {
        for (var build : api.get(Service.PACKAGING, stack.url(Service.PACKAGING.id()), "/api/images")) {
          if (build.path("model").asText().equals(model.modelName()) && build.path("version").asInt() == model.modelVersion()
              && build.path("status").asText().equalsIgnoreCase("failed")) {
            throw new IllegalStateException("packaging v" + model.modelVersion() + " failed: " + build.path("reason").asText());
          }
        }
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("no rollout of v" + model.modelVersion() + " within " + timeout.toSeconds() + " s");
        }
      }
    }
  }

  /** The package folder: directly for {@code file:} URIs, else downloaded through the blob store the services share. */
  private static Path localPackage(ModelTrained model, Stack stack) throws IOException {
    URI uri = URI.create(model.packageUri());
    if ("file".equals(uri.getScheme())) {
      return Path.of(uri);
    }
    ArtifactStore store = stack.service("training-service").getBean(ArtifactStore.class);
    Path dir = Files.createTempDirectory("edgeloop-package-");
    store.downloadAll(model.packageUri(), dir);
    return dir;
  }

  private static void awaitReady(OipClient client, Duration timeout) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!client.ready()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(client.baseUrl() + " is not ready");
      }
      Thread.sleep(200);
    }
  }

  @Override
  public void close() {
    if (inProcessServer != null) {
      inProcessServer.close();
    }
    environment.close();
  }
}
