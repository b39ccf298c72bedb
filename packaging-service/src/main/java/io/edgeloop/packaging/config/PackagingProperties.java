package io.edgeloop.packaging.config;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the packaging-service ({@code edgeloop.packaging.*}).
 *
 * @param policy which {@code ModelTrained} events become images: {@code all} or {@code promoted-only}
 *     (a model's first version is always promoted, so it is packaged either way)
 * @param builder how images are built: {@code jib} (daemonless, reproducible; the default) or
 *     {@code docker} (the same layout built and pushed by the Docker engine at {@link #dockerHost};
 *     not reproducible: the engine stamps the build time)
 * @param registry the registry images are pushed to, {@code host[:port]}
 * @param repositoryPrefix path under the registry; images are {@code <registry>/<prefix>/<model>:<version>}
 * @param username registry user (for an ACR token: the token name); empty = anonymous
 * @param password registry password or ACR token password; empty = anonymous
 * @param allowInsecure allow plain HTTP / unverified TLS to a registry that is not on this host; a
 *     loopback registry (127.0.0.1, localhost, ::1) is spoken to over plain HTTP without it
 * @param baseImage the runtime base: {@code jlink} (the default) for edgeloop's own small runtime (an
 *     empty base, the host's glibc and a jlinked JRE; needs a JDK with jmods on Linux x64, and no
 *     registry to pull from: Docker Hub is often unreachable on site), or a registry image reference
 *     with {@code java} on its PATH (pin it by digest, {@code repo@sha256:...}, for reproducible builds)
 * @param runtimeModules modules of the jlinked runtime; empty = what the model server needs
 *     ({@link io.edgeloop.modelserver.ModelServer#RUNTIME_MODULES})
 * @param jdkHome the JDK whose jlink and jmods make the runtime; empty = the JDK running this service
 * @param systemLibraries host files copied into the {@code jlink} runtime, at the same paths: the
 *     dynamic loader, glibc, libstdc++ / libgcc_s (ONNX Runtime) and zlib (the JDK)
 * @param serverLibDir a folder with the model server's jars (its runtime dependency closure); unset =
 *     found on this service's classpath, or beside its classes ({@code ServerJars})
 * @param cacheDir caches that make builds fast and reproducible: the jlinked runtime, Jib's layers,
 *     the Linux-only ONNX Runtime jar
 * @param sourceUrl the {@code org.opencontainers.image.source} label
 * @param smokeTest how a pushed image is checked before it is announced: {@code docker} (pull and
 *     run it on {@link #dockerHost}), {@code in-process} (run the model server on the package in this
 *     JVM: for hosts without Docker; it checks the package and server, not the image) or {@code off}
 * @param dockerHost the Docker engine of the smoke test
 * @param smokeTimeout how long the server in the smoke test may take to become ready
 * @param tolerance smoke-test predictions may differ from the recorded ones by
 *     {@code tolerance * (1 + |expected|)}: float32 arithmetic, same ONNX Runtime
 * @param retry how builds that failed for a transient reason are tried again
 * @param instanceId this instance's name as owner of the builds it claims; must be unique among live
 *     instances; empty = host name + a random suffix
 * @param lease how long a claimed build stays this instance's without a heartbeat (renewed every
 *     third of it); another instance takes over a build whose lease expired (its owner died)
 * @param pollInterval how often an idle instance looks for builds besides being woken by new ones
 * @param warmUp build the runtime and server layers and push the server image at start-up, in the
 *     background, so that the first model's image only adds its model layer
 * @param signing the key pair images are signed with
 */
@Validated
@ConfigurationProperties("edgeloop.packaging")
public record PackagingProperties(
    @DefaultValue("promoted-only") @NotNull Policy policy,
    @DefaultValue("jib") @NotNull Builder builder,
    @DefaultValue("127.0.0.1:5000") @NotBlank String registry,
    @DefaultValue("edgeloop") @NotBlank String repositoryPrefix,
    @DefaultValue("") String username,
    @DefaultValue("") String password,
    @DefaultValue("false") boolean allowInsecure,
    @DefaultValue("jlink") @NotBlank String baseImage,
    @DefaultValue({}) List<String> runtimeModules,
    @DefaultValue("") String jdkHome,
    @DefaultValue({
      "/lib64/ld-linux-x86-64.so.2",
      "/lib/x86_64-linux-gnu/libc.so.6",
      "/lib/x86_64-linux-gnu/libm.so.6",
      "/lib/x86_64-linux-gnu/libdl.so.2",
      "/lib/x86_64-linux-gnu/libpthread.so.0",
      "/lib/x86_64-linux-gnu/librt.so.1",
      "/lib/x86_64-linux-gnu/libz.so.1",
      "/lib/x86_64-linux-gnu/libstdc++.so.6",
      "/lib/x86_64-linux-gnu/libgcc_s.so.1"
    })
        List<String> systemLibraries,
    Path serverLibDir,
    @DefaultValue(".edgeloop/packaging/cache") @NotNull Path cacheDir,
    @DefaultValue("https://github.com/edgeloop/edgeloop") String sourceUrl,
    @DefaultValue("docker") @NotNull SmokeMode smokeTest,
    @DefaultValue("unix:///var/run/docker.sock") @NotBlank String dockerHost,
    @DefaultValue("60s") @NotNull Duration smokeTimeout,
    @DefaultValue("1e-4") @DecimalMin("0") double tolerance,
    @DefaultValue @NotNull Retry retry,
    @DefaultValue("") String instanceId,
    @DefaultValue("60s") @NotNull Duration lease,
    @DefaultValue("2s") @NotNull Duration pollInterval,
    @DefaultValue("true") boolean warmUp,
    @DefaultValue @NotNull Signing signing) {

  public PackagingProperties {
    runtimeModules = runtimeModules == null || runtimeModules.isEmpty()
        ? io.edgeloop.modelserver.ModelServer.RUNTIME_MODULES : List.copyOf(runtimeModules);
    instanceId = instanceId == null || instanceId.isBlank() ? defaultInstanceId() : instanceId;
  }

  private static String defaultInstanceId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "packaging";
    }
    return host + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  /** Whether images go to a registry on this host, spoken to over plain HTTP without {@link #allowInsecure}. */
  public boolean loopbackRegistry() {
    return io.edgeloop.imagetrust.ImageReference.isLoopback(registry);
  }

  /**
   * Plain HTTP for Jib, which applies it to the base image's registry too: only when asked for, or
   * when every registry the build talks to is on this host.
   */
  public boolean plainHttp() {
    return allowInsecure || (loopbackRegistry()
        && (jlinkBase() || io.edgeloop.imagetrust.ImageReference.parse(baseImage).loopbackRegistry()));
  }

  /** Which trained models are packaged. */
  public enum Policy {
    ALL,
    PROMOTED_ONLY
  }

  /** Image builders. */
  public enum Builder {
    JIB,
    DOCKER
  }

  /** Smoke tests. */
  public enum SmokeMode {
    DOCKER,
    IN_PROCESS,
    OFF
  }

  /** The value of {@link #baseImage} that selects the jlinked runtime. */
  public static final String JLINK_BASE = "jlink";

  public boolean jlinkBase() {
    return JLINK_BASE.equals(baseImage);
  }

  /**
   * Transient failures (registry, Docker engine or blob store unreachable) are retried after
   * {@code initialDelay}, doubling up to {@code maxDelay}, until {@code giveUpAfter} has passed since
   * the first of them; then the build fails with that reason ({@code ImageBuildFailed}).
   */
  public record Retry(
      @DefaultValue("2s") @NotNull Duration initialDelay,
      @DefaultValue("60s") @NotNull Duration maxDelay,
      @DefaultValue("20m") @NotNull Duration giveUpAfter) {

    /** The wait before try number {@code retries + 1}. */
    public Duration delay(int retries) {
      long millis = initialDelay.toMillis() << Math.min(Math.max(retries, 0), 20);
      return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }
  }

  /**
   * The key pair every pushed image is signed with (cosign-compatible, ECDSA P-256; see the
   * image-trust module). Made on first start when neither file exists.
   *
   * @param enabled sign images (default true; deploy refuses unsigned images)
   * @param privateKeyFile PKCS#8 PEM private key (mode 0600 when made here)
   * @param publicKeyFile PEM public key; empty = beside the private key, same name with {@code .pub}
   */
  public record Signing(
      @DefaultValue("true") boolean enabled,
      @DefaultValue(".edgeloop/packaging/signing.key") @NotNull Path privateKeyFile,
      Path publicKeyFile) {

    /** The public key file: as configured, or {@code signing.key} -> {@code signing.pub} beside it. */
    public Path resolvedPublicKeyFile() {
      if (publicKeyFile != null) {
        return publicKeyFile;
      }
      String name = privateKeyFile.getFileName().toString();
      int dot = name.lastIndexOf('.');
      return privateKeyFile.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".pub");
    }
  }
}
