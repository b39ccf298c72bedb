package io.edgeloop.launcher.demo;

import io.edgeloop.contracts.DeploymentOutcome;
import io.edgeloop.contracts.ModelDeployed;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.launcher.Stack;
import io.edgeloop.modelserver.ModelServer;
import io.edgeloop.modelserver.ModelServerConfig;
import io.edgeloop.storage.ArtifactStore;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the demo can use at the edge on this machine, and how it serves a model there: a container
 * on the local Docker engine (deployed by the deploy service from an image the packaging service
 * pushed), or, where the engine is missing, the same model package served in-process by the model
 * server. Images are built whenever a registry is reachable (one is started from Debian's
 * {@code docker-registry} if none is configured): the build needs no Docker engine.
 */
final class EdgeEnvironment implements AutoCloseable {
  private static final String DEFAULT_REGISTRY = "127.0.0.1:5000";
  private final boolean docker;
  private final String registry;
  private final List<String> notes;
  private final Process startedRegistry;
  private ModelServer inProcessServer;

  private EdgeEnvironment(boolean docker, String registry, List<String> notes, Process startedRegistry) {
    this.docker = docker;
    this.registry = registry;
    this.notes = notes;
    this.startedRegistry = startedRegistry;
  }

  static EdgeEnvironment inProcess(String why) {
    return new EdgeEnvironment(false, null, List.of(why), null);
  }

  static EdgeEnvironment detect(Path dataDir) throws IOException, InterruptedException {
    List<String> notes = new ArrayList<>();
    String dockerHost = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
    boolean docker = dockerAnswers(dockerHost);
    if (!docker) {
      notes.add("no Docker engine answers at " + dockerHost);
    }
    String registry = System.getenv().getOrDefault("EDGELOOP_PACKAGING_REGISTRY", DEFAULT_REGISTRY);
    Process started = null;
    if (!registryAnswers(registry)) {
      Path binary = Path.of("/usr/bin/docker-registry");
      if (Files.isExecutable(binary) && registry.equals(DEFAULT_REGISTRY)) {
        started = startRegistry(binary, dataDir.resolve("registry"));
      }
      if (started == null || !registryAnswers(registry)) {
        notes.add("no OCI registry at " + registry + " (and none could be started: install Debian's docker-registry)");
        registry = null;
      }
    }
    if (!Files.isExecutable(Path.of(System.getProperty("java.home"), "bin", "jlink"))) {
      notes.add("this Java runtime has no jlink, so no image runtime can be built");
      registry = null;
    }
    return new EdgeEnvironment(docker && registry != null, registry, notes, started);
  }

  boolean buildsImages() {
    return registry != null;
  }

  String targetKind() {
    return docker ? "docker" : "in-process";
  }

  String describe() {
    if (docker) {
      return "edge target: a container on the local Docker engine; images go to " + registry;
    }
    return "edge target: in-process model server (" + String.join("; ", notes) + ")"
        + (registry != null ? "; images are still built and pushed to " + registry : "; no images are built");
  }

  /** Properties of the four services for this environment, on the keys they document. */
  Map<String, String> serviceProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    // Every version gets an image, so the second version's upload can be measured even if it is
    // not promoted; the deploy service still deploys champions only.
    properties.put("edgeloop.packaging.policy", "all");
    // The jlinked base, plain HTTP to a loopback registry and the model server's jars are packaging's
    // own defaults (it finds the jars on its classpath): nothing to set here.
    if (registry != null) {
      properties.put("edgeloop.packaging.registry", registry);
      properties.put("edgeloop.packaging.smoke-test", docker ? "docker" : "in-process");
    } else {
      properties.put("spring.cloud.stream.bindings.onModelTrained-in-0.consumer.auto-startup", "false");
      properties.put("spring.cloud.stream.bindings.onModelPromoted-in-0.consumer.auto-startup", "false");
    }
    properties.put("edgeloop.deploy.local-target.enabled", String.valueOf(docker));
    return properties;
  }

  /** Waits until {@code model} serves at the edge and returns where. */
  DemoCommand.Serving serve(EventFollower events, ModelTrained model, Duration timeout, Stack stack)
      throws IOException, InterruptedException, TimeoutException {
    if (docker) {
      ModelDeployed deployed = awaitRollout(events, model, timeout, stack);
      if (deployed.status() != DeploymentOutcome.DEPLOYED) {
        throw new IllegalStateException("rollout of v" + model.modelVersion() + " to " + deployed.target() + " ended " + deployed.status() + ": " + deployed.message());
      }
      String url = "http://127.0.0.1:" + stack.service("deploy-service").getEnvironment().getProperty("edgeloop.deploy.local-target.port", "9000");
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
    String packaging = "http://127.0.0.1:" + stack.ports().get("packaging-service");
    while (true) {
      try {
        return events.await(
            ModelDeployed.class,
            d -> d.modelName().equals(model.modelName()) && d.modelVersion() == model.modelVersion() && d.status() != DeploymentOutcome.PENDING,
            Duration.ofSeconds(3),
            "a rollout of v" + model.modelVersion());
      } catch (TimeoutException stillWaiting) {
        for (var build : new io.edgeloop.launcher.cli.ApiClient().get(packaging, "/api/images")) {
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

  private static boolean dockerAnswers(String dockerHost) {
    if (!dockerHost.startsWith("unix://")) {
      return false;
    }
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(dockerHost.substring("unix://".length())));
      channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer reply = ByteBuffer.allocate(512);
      channel.read(reply);
      return new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII).startsWith("HTTP/1.0 200")
          || new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean registryAnswers(String registry) {
    try {
      int status =
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
              .send(HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/")).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding())
              .statusCode();
      return status == 200 || status == 401;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Process startRegistry(Path binary, Path storage) throws IOException, InterruptedException {
    Files.createDirectories(storage);
    Path config = storage.resolve("registry.yml");
    Files.writeString(
        config,
        "version: 0.1\nstorage: {filesystem: {rootdirectory: " + storage.toAbsolutePath() + "/data}, delete: {enabled: true}}\nhttp: {addr: " + DEFAULT_REGISTRY + "}\n");
    Process process = new ProcessBuilder(binary.toString(), "serve", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(storage.resolve("registry.log").toFile())
        .start();
    for (int i = 0; i < 40 && !registryAnswers(DEFAULT_REGISTRY); i++) {
      Thread.sleep(250);
    }
    return process;
  }

  @Override
  public void close() {
    if (inProcessServer != null) {
      inProcessServer.close();
    }
    if (startedRegistry != null) {
      startedRegistry.destroy();
      try {
        startedRegistry.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
