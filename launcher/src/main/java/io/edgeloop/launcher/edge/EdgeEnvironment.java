package io.edgeloop.launcher.edge;

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

/**
 * What one-command mode ({@code up} and {@code demo}) can use at the edge on this machine, and the
 * service settings that follow, so that a model trained in one command is also packaged and served
 * with no flags: the edge target is a container on the local Docker engine when one answers; images
 * go to a registry (one is started from Debian's {@code docker-registry} when none answers at the
 * default address), built on edgeloop's own jlinked runtime (no base image to pull), over plain
 * HTTP when the registry is on loopback; the model server's jars are found wherever the launcher
 * runs from.
 */
public final class EdgeEnvironment implements AutoCloseable {
  public static final String DEFAULT_REGISTRY = "127.0.0.1:5000";
  /**
   * Where packaging's public signing key lands: its {@code signing.public-key-file} when set, else
   * {@code signing.pub} in {@code <data-dir>/packaging}, beside its default private key.
   */
  static final String PACKAGING_PUBLIC_KEY =
      "${edgeloop.packaging.signing.public-key-file:${edgeloop.data-dir}/packaging/signing.pub}";
  private final boolean docker;
  private final String registry;
  private final List<String> notes;
  private final Process startedRegistry;

  private EdgeEnvironment(boolean docker, String registry, List<String> notes, Process startedRegistry) {
    this.docker = docker;
    this.registry = registry;
    this.notes = notes;
    this.startedRegistry = startedRegistry;
  }

  /** Nothing at the edge (the caller serves in-process, for {@code why}): no Docker target, no images. */
  public static EdgeEnvironment none(String why) {
    return new EdgeEnvironment(false, null, List.of(why), null);
  }

  public static EdgeEnvironment detect(Path dataDir) throws IOException, InterruptedException {
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

  public boolean buildsImages() {
    return registry != null;
  }

  /** Whether models are served by a container on the local Docker engine. */
  public boolean docker() {
    return docker;
  }

  public String targetKind() {
    return docker ? "docker" : "in-process";
  }

  public List<String> notes() {
    return List.copyOf(notes);
  }

  public String describe() {
    if (docker) {
      return "a container on the local Docker engine; images go to " + registry;
    }
    return "none on Docker (" + String.join("; ", notes) + ")"
        + (registry != null ? "; images are still built and pushed to " + registry : "; no images are built");
  }

  /**
   * Settings of the four services for this environment, on the keys they document: the registry,
   * the jlinked base, plain HTTP for a loopback registry, the server jars, the smoke test, the key
   * deploy checks image signatures with (packaging's), and the local Docker target (on
   * {@code edgePort}) where there is an engine.
   */
  public Map<String, String> serviceProperties(int edgePort) {
    Map<String, String> properties = new LinkedHashMap<>();
    // The jlinked base, plain HTTP to a loopback registry and the model server's jars (found on the
    // classpath) are packaging's own defaults: nothing to set for them here.
    if (registry != null) {
      properties.put("edgeloop.packaging.registry", registry);
      properties.put("edgeloop.packaging.smoke-test", docker ? "docker" : "in-process");
    } else {
      // Nothing could be pushed: packaging does not take models up at all, rather than fail each one.
      properties.put("spring.cloud.stream.bindings.onModelTrained-in-0.consumer.auto-startup", "false");
      properties.put("spring.cloud.stream.bindings.onModelPromoted-in-0.consumer.auto-startup", "false");
    }
    // Deploy runs only images packaging signed: it trusts the public key packaging writes into the
    // data folder on its first start (resolved in deploy's own environment, where edgeloop.data-dir is
    // the stack's). Deploy reads the file when it checks an image, so packaging may start after it.
    properties.put("edgeloop.deploy.trust.signing-keys", PACKAGING_PUBLIC_KEY);
    properties.put("edgeloop.deploy.local-target.enabled", String.valueOf(docker));
    properties.put("edgeloop.deploy.local-target.port", String.valueOf(edgePort));
    return properties;
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
      String status = new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII);
      return status.startsWith("HTTP/1.0 200") || status.startsWith("HTTP/1.1 200");
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
    } catch (IOException | IllegalArgumentException e) {
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

  /** Stops the registry this environment started, if it did. */
  @Override
  public void close() {
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
