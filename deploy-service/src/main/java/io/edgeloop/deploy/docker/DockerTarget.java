package io.edgeloop.deploy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.command.PullImageResultCallback;
import io.edgeloop.deploy.smoke.OipSmokeTest;
import io.edgeloop.deploy.target.DeploymentTarget;
import io.edgeloop.deploy.target.Release;
import io.edgeloop.deploy.target.RolloutFailedException;
import io.edgeloop.deploy.target.StackId;
import io.edgeloop.deploy.target.TargetSpec;
import io.edgeloop.deploy.target.TargetUnreachableException;
import io.edgeloop.messaging.crash.CrashPoints;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Docker engine. A rollout pulls the image by digest, starts a new container next to the old
 * one (its port published on a random loopback port), waits for readiness, runs the smoke test,
 * then switches the stable port's proxy to it and stops the old container after a drain period.
 * Any failure removes the new container; the old one never stopped serving.
 *
 * <p>Containers carry the stack's id ({@link StackId#LABEL}) and the target's name: this target
 * adopts, retires and removes only containers with both, so another stack using the same target
 * name on the same engine is never touched. Several deploy-service instances of one stack may
 * front the same engine: before each rollout (and on each probe) the target follows the newest
 * container that passed its checks, whoever started it.
 */
public class DockerTarget implements DeploymentTarget {
  private static final Logger log = LoggerFactory.getLogger(DockerTarget.class);
  static final String LABEL_TARGET = "io.edgeloop.deploy.target";
  static final String LABEL_MODEL = "io.edgeloop.model.name";
  static final String LABEL_VERSION = "io.edgeloop.model.version";
  static final String LABEL_DIGEST = "io.edgeloop.deploy.digest";
  static final String LABEL_IMAGE = "io.edgeloop.deploy.image";
  static final String LABEL_MODEL_DIR = "io.edgeloop.model.dir";
  static final String DEFAULT_MODEL_DIR = "/model";
  /** Name suffix of a container that passed its checks and serves: only such a container is adopted after a restart. */
  static final String SERVING_SUFFIX = "-serving";

  private final TargetSpec spec;
  private final StackId stack;
  private final DockerSettings settings;
  private final DockerClient docker;
  private final SwitchingProxy proxy;
  private final OipSmokeTest smoke;
  private final ObjectMapper json = new ObjectMapper();
  /** The container behind the proxy; changed only by {@link #deploy} (synchronized). */
  private volatile Running current;
  /**
   * The old container's retirement (drain, move keep-alive connections, stop), after the switch: a
   * rollout is done when the new container serves, and the next rollout to this target waits for it.
   */
  private CompletableFuture<Void> retiring = CompletableFuture.completedFuture(null);
  /** A rollout holds the target: the prober's refresh then has nothing to learn and does not wait for it. */
  private volatile boolean deploying;
  private final ExecutorService retirer;

  record Running(String containerId, Release release, InetSocketAddress address) {}

  public DockerTarget(TargetSpec spec, StackId stack, DockerSettings settings, DockerClient docker, SwitchingProxy proxy,
      OipSmokeTest smoke) {
    this.spec = spec;
    this.stack = stack;
    this.settings = settings;
    this.docker = docker;
    this.proxy = proxy;
    this.smoke = smoke;
    this.retirer = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "retire-" + spec.name());
      thread.setDaemon(true);
      return thread;
    });
    adoptRunning();
  }

  @Override
  public TargetSpec spec() {
    return spec;
  }

  /** The stable inference port (the proxy's). */
  public int port() {
    return proxy.port();
  }

  @Override
  public boolean reachable() {
    try {
      docker.pingCmd().exec();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public Optional<Release> running() {
    return Optional.ofNullable(current).map(Running::release);
  }

  @Override
  public synchronized void deploy(Release release) throws TargetUnreachableException, RolloutFailedException {
    requireReachable();
    String image = release.pinnedImage();
    String containerId = null;
    Phases phases = new Phases();
    deploying = true;
    awaitRetirement();
    try {
      adoptRunning(); // another instance of this stack may have rolled out since; the engine may have been away
      removeLeftovers();
      if (current != null && current.release().digest().equals(release.digest())
          && current.release().modelName().equals(release.modelName())) {
        log.info("target {}: {} v{} already serves (container {})", spec.name(), release.modelName(),
            release.modelVersion(), current.containerId());
        return; // a rollout taken over after its first owner switched: nothing left to do
      }
      phases.mark("adopt");
      pull(image);
      phases.mark("pull");
      containerId = create(image, release);
      docker.startContainerCmd(containerId).exec();
      phases.mark("start");
      InetSocketAddress address = publishedAddress(containerId);
      URI base = URI.create("http://" + address.getHostString() + ":" + address.getPort());
      String id = containerId;
      smoke.awaitReady(base, settings.readyTimeout(), () -> isRunning(id));
      phases.mark("ready");
      smoke.check(base, release.modelName(), manifest(containerId, image));
      phases.mark("smoke");
      CrashPoints.reached("edgeloop.deploy.test.halt-before-switch", release.modelName() + "@" + release.modelVersion());
      Running previous = current;
      current = new Running(containerId, release, address);
      proxy.switchTo(address);
      String name = docker.inspectContainerCmd(containerId).exec().getName().replaceFirst("^/", "");
      docker.renameContainerCmd(containerId).withName(name + SERVING_SUFFIX).exec();
      containerId = null; // it serves now: not ours to clean up below
      phases.mark("switch");
      log.info("target {}: {} v{} serves; {}", spec.name(), release.modelName(), release.modelVersion(), phases);
      if (previous != null) {
        retiring = CompletableFuture.runAsync(() -> retire(previous), retirer);
      }
    } catch (RolloutFailedException e) {
      throw unreachableOr(e, image);
    } catch (RuntimeException e) {
      throw unreachableOr(new RolloutFailedException("docker rollout of " + image + " failed: " + e.getMessage(), e), image);
    } finally {
      if (containerId != null) {
        removeQuietly(containerId);
      }
      deploying = false;
    }
  }

  /**
   * What a failure means: when the engine no longer answers, the rollout did not fail, the engine
   * went away (the rollout waits and is retried); otherwise it is the verdict on the image.
   */
  private RolloutFailedException unreachableOr(RolloutFailedException failure, String image) throws TargetUnreachableException {
    if (!Thread.currentThread().isInterrupted() && !reachable()) {
      throw new TargetUnreachableException("docker engine " + settings.host() + " went away during the rollout of "
          + image + ": " + failure.getMessage(), failure);
    }
    return failure;
  }

  /** Time spent in each step of one rollout, for the log: what dominates the time to serve. */
  static final class Phases {
    private final StringBuilder text = new StringBuilder();
    private long last = System.nanoTime();
    private final long first = last;

    void mark(String phase) {
      long now = System.nanoTime();
      text.append(text.isEmpty() ? "" : ", ").append(phase).append(' ').append((now - last) / 1_000_000).append(" ms");
      last = now;
    }

    @Override
    public String toString() {
      return text + " (" + (last - first) / 1_000_000 + " ms in all)";
    }
  }

  private void requireReachable() throws TargetUnreachableException {
    try {
      docker.pingCmd().exec();
    } catch (RuntimeException e) {
      throw new TargetUnreachableException("docker engine " + settings.host() + " does not answer: " + e.getMessage(), e);
    }
  }

  private void pull(String image) throws RolloutFailedException {
    try {
      docker.inspectImageCmd(image).exec();
      return; // pinned by digest: a local copy is exactly the same bytes
    } catch (NotFoundException absent) {
      // pull below
    }
    try {
      docker.pullImageCmd(image).exec(new PullImageResultCallback())
          .awaitCompletion(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RolloutFailedException("interrupted while pulling " + image);
    } catch (NotFoundException e) {
      throw new RolloutFailedException("image " + image + " is not in its registry: " + e.getMessage(), e);
    }
  }

  private String create(String image, Release release) {
    Map<String, String> labels = new HashMap<>(settings.labels());
    labels.put(StackId.LABEL, stack.value());
    labels.put(LABEL_TARGET, spec.name());
    labels.put(LABEL_MODEL, release.modelName());
    labels.put(LABEL_VERSION, Integer.toString(release.modelVersion()));
    labels.put(LABEL_DIGEST, release.digest());
    labels.put(LABEL_IMAGE, release.imageReference());
    List<String> env = new ArrayList<>(List.of("EDGELOOP_HOST=0.0.0.0", "EDGELOOP_PORT=" + settings.containerPort()));
    settings.env().forEach((key, value) -> env.add(key + "=" + value));
    ExposedPort port = ExposedPort.tcp(settings.containerPort());
    HostConfig host = HostConfig.newHostConfig()
        .withPortBindings(new PortBinding(Ports.Binding.bindIp(settings.containerBindAddress()), port))
        .withRestartPolicy(RestartPolicy.parse(settings.restartPolicy()));
    if (settings.memoryBytes() != null) {
      host.withMemory(settings.memoryBytes());
    }
    if (settings.nanoCpus() != null) {
      host.withNanoCPUs(settings.nanoCpus());
    }
    String name = "edgeloop-" + spec.name() + "-" + release.modelName().replaceAll("[^a-zA-Z0-9_.-]", "-")
        + "-v" + release.modelVersion() + "-" + UUID.randomUUID().toString().substring(0, 8);
    CreateContainerResponse created = docker.createContainerCmd(image)
        .withName(name)
        .withLabels(labels)
        .withEnv(env)
        .withExposedPorts(port)
        .withHostConfig(host)
        .exec();
    log.info("target {}: created {} for {} v{}", spec.name(), name, release.modelName(), release.modelVersion());
    return created.getId();
  }

  private InetSocketAddress publishedAddress(String containerId) throws RolloutFailedException {
    Ports.Binding[] bindings = docker.inspectContainerCmd(containerId).exec()
        .getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(settings.containerPort()));
    if (bindings == null || bindings.length == 0) {
      throw new RolloutFailedException("the engine did not publish port " + settings.containerPort());
    }
    return new InetSocketAddress(settings.publishAddress(), Integer.parseInt(bindings[0].getHostPortSpec()));
  }

  private boolean isRunning(String containerId) {
    InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(containerId).exec().getState();
    return Boolean.TRUE.equals(state.getRunning()) || Boolean.TRUE.equals(state.getRestarting());
  }

  /** The package manifest, read from the container (where the image's EDGELOOP_MODEL_DIR says the package is). */
  private JsonNode manifest(String containerId, String image) throws RolloutFailedException {
    String dir = modelDir(image);
    try (InputStream archive = docker.copyArchiveFromContainerCmd(containerId, dir + "/edgeloop-model.json").exec();
        TarArchiveInputStream tar = new TarArchiveInputStream(archive)) {
      if (tar.getNextEntry() == null) {
        throw new RolloutFailedException("no " + dir + "/edgeloop-model.json in the image");
      }
      return json.readTree(tar.readAllBytes());
    } catch (NotFoundException e) {
      throw new RolloutFailedException("no " + dir + "/edgeloop-model.json in the image", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String modelDir(String image) {
    var config = docker.inspectImageCmd(image).exec().getConfig();
    if (config != null && config.getEnv() != null) {
      for (String entry : config.getEnv()) {
        if (entry.startsWith("EDGELOOP_MODEL_DIR=")) {
          return entry.substring("EDGELOOP_MODEL_DIR=".length());
        }
      }
    }
    if (config != null && config.getLabels() != null && config.getLabels().containsKey(LABEL_MODEL_DIR)) {
      return config.getLabels().get(LABEL_MODEL_DIR);
    }
    return DEFAULT_MODEL_DIR;
  }

  /**
   * Lets the old container finish what it is doing, moves the keep-alive connections still on it
   * to the new one between two requests, then stops and removes it.
   */
  private void retire(Running previous) {
    sleep(settings.drain().toMillis());
    int left = proxy.release(previous.address(), Duration.ofSeconds(5));
    if (left > 0) {
      log.info("target {}: {} connections still busy on the old container; stopping it anyway", spec.name(), left);
    }
    try {
      docker.stopContainerCmd(previous.containerId()).withTimeout(10).exec();
    } catch (RuntimeException e) {
      log.debug("stopping {}: {}", previous.containerId(), e.toString());
    }
    removeQuietly(previous.containerId());
    log.info("target {}: retired {} v{}", spec.name(), previous.release().modelName(), previous.release().modelVersion());
  }

  /**
   * Containers of this stack's target that are not the current one: left by an interrupted rollout
   * (of this instance or of one that died), or an older serving one a crash kept from being retired.
   */
  private void removeLeftovers() {
    for (Container container : ownContainers()) {
      if (current == null || !container.getId().equals(current.containerId())) {
        log.info("target {}: removing leftover container {}", spec.name(), container.getId());
        removeQuietly(container.getId());
      }
    }
  }

  /** This stack's containers of this target (never another stack's, whatever their target is called). */
  private List<Container> ownContainers() {
    return docker.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(LABEL_TARGET, spec.name(), StackId.LABEL, stack.value())).exec();
  }

  @Override
  public void refresh() {
    if (deploying) {
      return;
    }
    synchronized (this) {
      adoptRunning();
    }
  }

  /**
   * Follows the newest running container of this stack's target that passed its checks (name
   * suffix {@value #SERVING_SUFFIX}): after a restart of this service, or after another instance
   * of the stack rolled out. A container of an interrupted rollout is never adopted: the next
   * rollout removes it.
   */
  private void adoptRunning() {
    try {
      ownContainers().stream()
          .filter(c -> "running".equals(c.getState()))
          .filter(c -> c.getNames() != null && c.getNames().length > 0 && c.getNames()[0].endsWith(SERVING_SUFFIX))
          .max(Comparator.comparing(Container::getCreated))
          .filter(c -> current == null || !c.getId().equals(current.containerId()))
          .ifPresent(this::adopt);
    } catch (RuntimeException e) {
      log.warn("target {}: docker engine {} not reachable ({}); rollouts wait for it", spec.name(), settings.host(),
          e.getMessage());
    }
  }

  private void adopt(Container c) {
    Map<String, String> labels = c.getLabels();
    Release release = new Release(labels.get(LABEL_MODEL), Integer.parseInt(labels.get(LABEL_VERSION)),
        labels.get(LABEL_IMAGE), labels.get(LABEL_DIGEST));
    try {
      InetSocketAddress address = publishedAddress(c.getId());
      current = new Running(c.getId(), release, address);
      proxy.switchTo(address);
      log.info("target {}: serving {} v{} from running container {}", spec.name(), release.modelName(),
          release.modelVersion(), c.getNames()[0]);
    } catch (RolloutFailedException | RuntimeException e) {
      log.warn("target {}: cannot adopt container {}: {}", spec.name(), c.getId(), e.getMessage());
    }
  }

  private void removeQuietly(String containerId) {
    try {
      docker.removeContainerCmd(containerId).withForce(true).exec();
    } catch (RuntimeException e) {
      log.debug("removing {}: {}", containerId, e.toString());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for the previous rollout's old container to be retired (bounded: drain plus the stop timeout). */
  private void awaitRetirement() {
    try {
      retiring.get(settings.drain().toMillis() + 20_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("target {}: retiring the previous container: {}", spec.name(), e.toString());
    }
  }

  @Override
  public void close() {
    awaitRetirement();
    retirer.shutdownNow();
    proxy.close();
    try {
      docker.close();
    } catch (IOException e) {
      log.debug("closing docker client: {}", e.toString());
    }
  }
}
