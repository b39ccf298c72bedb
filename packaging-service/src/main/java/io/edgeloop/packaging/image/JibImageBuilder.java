package io.edgeloop.packaging.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.events.TimerEvent;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.edgeloop.contracts.BuildFailureReason;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds serving images daemonless with Jib and pushes them, laid out as {@link ImageLayout} says.
 * The runtime and server layers are pushed as their own image ({@value #SERVER_REPOSITORY}) and the model image is
 * built on it by digest, so every model repository in the registry shares those blobs (mounted,
 * not uploaded). Jib pins file times and the creation time to the epoch, so the same inputs give the
 * same digest, and blobs already in the registry are not sent again: a new model version, or a new
 * model, uploads its model layer and the config only.
 */
public final class JibImageBuilder implements ImageBuilder {
  /** Repository (under the registry prefix) of the runtime + server image every model image is built on. */
  public static final String SERVER_REPOSITORY = "edgeloop-model-server";
  private static final Logger log = LoggerFactory.getLogger(JibImageBuilder.class);

  /**
   * How images are pushed.
   *
   * @param username registry user, null/empty = anonymous (also used for the base image's registry)
   * @param password registry password or token
   * @param allowInsecure allow plain HTTP to the registries
   * @param cacheDir Jib's layer caches
   */
  public record Settings(String username, String password, boolean allowInsecure, Path cacheDir) {}

  private final ImageLayout layout;
  private final Settings settings;
  /** Server images pushed by this process, by tag: their content cannot change while it runs. */
  private final Map<String, ServerImage> servers = new ConcurrentHashMap<>();

  public JibImageBuilder(ImageLayout layout, Settings settings) {
    this.layout = layout;
    this.settings = settings;
  }

  @Override
  public BuiltImage build(ImageRequest request) throws ImageBuildException, InterruptedException {
    String serverImage = serverImage(request.target());
    try {
      // Stage 1: the runtime and the server, the same for every model: pushed (or found) once per
      // registry prefix and process (warmUp does it at start-up), under its own repository.
      ServerImage server = pushedServer(serverImage);
      // Stage 2: the model image on top of it, by digest. Its base layers are in the same registry,
      // so a new model's first version mounts them instead of uploading them again.
      BlobUploads uploads = new BlobUploads();
      JibContainerBuilder model = serve(Jib.from(credentials(RegistryImage.named(server.pinned()))));
      request.environment().forEach(model::addEnvironmentVariable);
      JibContainer pushed;
      try {
        pushed = model.addFileEntriesLayer(ImageLayout.modelLayer(request.packageDir()))
            .setLabels(new java.util.TreeMap<>(request.labels()))
            .containerize(containerizer(request.target(), uploads));
      } catch (Exception e) {
        servers.remove(serverImage); // the registry may have lost it (wiped, restored): push it again next time
        throw e;
      }
      BuiltImage built = new BuiltImage(request.target(), pushed.getDigest().toString(), uploads.imageBytes(),
          server.uploadedBytes() + uploads.uploadedBytes(), uploads.blobs(), server.uploadedBlobs() + uploads.uploadedBlobs());
      servers.computeIfPresent(serverImage, (k, v) -> v.counted());
      log.info("pushed {} {} (on {}): {} bytes in {} blobs, uploaded {} bytes in {} blobs", built.reference(),
          built.digest(), server.pinned(), built.sizeBytes(), built.blobs(), built.pushedBytes(), built.uploadedBlobs());
      return built;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw interruptedOr(classify(request.target(), e), e);
    }
  }

  /**
   * A build stopped by an interrupt (the service is stopping) is not a failure of the build. Timeouts
   * are {@code InterruptedIOException}s too ({@code SocketTimeoutException}, HttpClient's
   * {@code ConnectTimeoutException}), but a slow registry, not a stop: they stay the transient
   * failure they were classified as, so that the build is retried with backoff, not released at once.
   */
  private static ImageBuildException interruptedOr(ImageBuildException failure, Exception e) throws InterruptedException {
    boolean interrupted = Thread.currentThread().isInterrupted()
        || find(e, InterruptedException.class, java.nio.channels.ClosedByInterruptException.class).isPresent()
        || causes(e).anyMatch(t -> t.getClass() == java.io.InterruptedIOException.class);
    if (interrupted) {
      throw new InterruptedException("stopped while building: " + failure.getMessage());
    }
    return failure;
  }

  /**
   * Builds the runtime and server layers and pushes the server image next to {@code target}'s
   * repository now, so that the first model build only adds its model layer (start-up warm-up).
   *
   * @return the bytes uploaded (0 when the registry had it all)
   */
  public long warmUp(String target) throws ImageBuildException, InterruptedException {
    try {
      String serverImage = serverImage(target);
      long uploaded = pushedServer(serverImage).uploadedBytes();
      // Uploaded now, at start-up: not by the first model build.
      servers.computeIfPresent(serverImage, (k, v) -> v.counted());
      return uploaded;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw interruptedOr(classify(target, e), e);
    }
  }

  /** The server image pushed by this process (uploads counted once, by the first model that used it). */
  private record ServerImage(String pinned, long uploadedBytes, int uploadedBlobs) {
    ServerImage counted() {
      return new ServerImage(pinned, 0, 0);
    }
  }

  private ServerImage pushedServer(String serverImage) throws Exception {
    ServerImage known = servers.get(serverImage);
    if (known != null) {
      return known;
    }
    synchronized (servers) {
      known = servers.get(serverImage);
      if (known != null) {
        return known;
      }
      BlobUploads uploads = new BlobUploads();
      JibContainerBuilder serverBuild = base(registryOf(serverImage));
      layout.runtimeLayers().forEach(serverBuild::addFileEntriesLayer);
      layout.serverLayers().forEach(serverBuild::addFileEntriesLayer);
      JibContainer pushed = serve(serverBuild).containerize(containerizer(serverImage, uploads));
      ServerImage made = new ServerImage(serverImage.substring(0, serverImage.lastIndexOf(':')) + "@" + pushed.getDigest(),
          uploads.uploadedBytes(), uploads.uploadedBlobs());
      servers.put(serverImage, made);
      return made;
    }
  }

  /** {@code <registry>/<prefix>/edgeloop-model-server:current} next to the target's repository. */
  static String serverImage(String target) {
    int slash = target.lastIndexOf('/');
    return target.substring(0, slash + 1) + SERVER_REPOSITORY + ":current";
  }

  /** How the model server runs: entrypoint, environment, port, user, format. */
  private JibContainerBuilder serve(JibContainerBuilder image) {
    layout.environment().forEach(image::addEnvironmentVariable);
    return image
        .setEntrypoint(layout.entrypoint())
        .setProgramArguments(List.of())
        .addExposedPort(Port.tcp(ImageLayout.PORT))
        .setUser(layout.user())
        .setFormat(ImageFormat.OCI);
  }

  private Containerizer containerizer(String target, BlobUploads uploads) throws InvalidImageReferenceException {
    return Containerizer.to(credentials(RegistryImage.named(target)))
        .setAllowInsecureRegistries(settings.allowInsecure())
        .setBaseImageLayersCache(settings.cacheDir().resolve("base-layers"))
        .setApplicationLayersCache(settings.cacheDir().resolve("application-layers"))
        .setToolName("edgeloop-packaging")
        .addEventHandler(ProgressEvent.class, uploads::onProgress)
        .addEventHandler(TimerEvent.class, uploads::onTimer)
        .addEventHandler(LogEvent.class, uploads::onLog)
        .addEventHandler(LogEvent.class, JibImageBuilder::log);
  }

  /**
   * The base of the server image. The configured credentials are the target registry's: a base image
   * in another registry is pulled anonymously, so that they never reach a registry they were not
   * given for (Jib would send them to any registry that asks).
   */
  private JibContainerBuilder base(String targetRegistry) throws InvalidImageReferenceException {
    if (layout.baseImage() == null) {
      return Jib.fromScratch();
    }
    RegistryImage base = RegistryImage.named(layout.baseImage());
    return Jib.from(registryOf(layout.baseImage()).equals(targetRegistry) ? credentials(base) : base);
  }

  private RegistryImage credentials(RegistryImage image) {
    if (settings.username() != null && !settings.username().isEmpty()) {
      image.addCredential(settings.username(), settings.password() == null ? "" : settings.password());
    }
    return image;
  }

  /** What went wrong, in the registry's or the network's own words, and whether trying again may help. */
  ImageBuildException classify(String target, Exception e) {
    String registry = registryOf(target);
    Optional<Throwable> unauthorized = find(e, RegistryUnauthorizedException.class, RegistryAuthenticationFailedException.class);
    if (unauthorized.isPresent()) {
      return new ImageBuildException(BuildFailureReason.REGISTRY_DENIED, false,
          "registry " + registry + " refused the credentials: " + unauthorized.get().getMessage(), e);
    }
    Optional<Throwable> notSent = find(e, RegistryCredentialsNotSentException.class);
    if (notSent.isPresent()) {
      return new ImageBuildException(BuildFailureReason.REGISTRY_DENIED, false, "registry " + registry
          + " asks for credentials, which are not sent over plain HTTP: use HTTPS (" + notSent.get().getMessage() + ")", e);
    }
    Optional<Throwable> network = find(e, ConnectException.class, UnknownHostException.class,
        NoRouteToHostException.class, SocketTimeoutException.class, java.net.SocketException.class);
    if (network.isEmpty()) {
      // Apache HttpClient's (inside Jib) "the target server failed to respond": a registry going down mid-request.
      network = findNamed(e, "NoHttpResponseException");
    }
    if (network.isPresent()) {
      return new ImageBuildException(BuildFailureReason.REGISTRY_UNREACHABLE, true, "registry unreachable (" + registry
          + (layout.baseImage() == null ? "" : " or base " + layout.baseImage()) + "): " + network.get(), e);
    }
    String all = messages(e);
    if (layout.baseImage() != null && (all.contains("MANIFEST_UNKNOWN") || all.contains("manifest unknown")
        || all.contains("NAME_UNKNOWN"))) {
      return new ImageBuildException(BuildFailureReason.BASE_IMAGE_UNAVAILABLE, false,
          "base image " + layout.baseImage() + " not found: " + rootCause(e).getMessage(), e);
    }
    if (all.contains(ServerLayers.NOT_FOUND)) {
      return new ImageBuildException(BuildFailureReason.SERVER_LIB_MISSING, false, rootCause(e).getMessage(), e);
    }
    if (find(e, com.google.cloud.tools.jib.api.RegistryException.class).isPresent()) {
      // 5xx, a registry restarting, an unexpected answer: worth trying again for a while.
      return new ImageBuildException(BuildFailureReason.REGISTRY_UNREACHABLE, true,
          "registry " + registry + " failed: " + rootCause(e), e);
    }
    return new ImageBuildException(BuildFailureReason.BUILD_ERROR, !(e instanceof java.io.IOException),
        "image build failed: " + rootCause(e), e);
  }

  private static String registryOf(String reference) {
    try {
      return ImageReference.parse(reference).getRegistry();
    } catch (InvalidImageReferenceException e) {
      return reference;
    }
  }

  @SafeVarargs
  private static Optional<Throwable> find(Throwable e, Class<? extends Throwable>... types) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (Class<? extends Throwable> type : types) {
        if (type.isInstance(t)) {
          return Optional.of(t);
        }
      }
    }
    return Optional.empty();
  }

  private static Stream<Throwable> causes(Throwable e) {
    return Stream.iterate(e, t -> t != null, Throwable::getCause);
  }

  private static Optional<Throwable> findNamed(Throwable e, String simpleName) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().equals(simpleName)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static void log(LogEvent event) {
    if (event.getMessage().contains("Attempting again with")) {
      // Jib always tries HTTPS first, also for a plain-HTTP registry it was allowed to use: not news.
      log.debug("jib: {}", event.getMessage());
      return;
    }
    switch (event.getLevel()) {
      case ERROR -> log.error("jib: {}", event.getMessage());
      case WARN -> log.warn("jib: {}", event.getMessage());
      case LIFECYCLE, PROGRESS, INFO -> log.debug("jib: {}", event.getMessage());
      default -> log.trace("jib: {}", event.getMessage());
    }
  }
}
