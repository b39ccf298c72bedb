package io.edgeloop.packaging.config;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
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
 * @param allowInsecure allow plain HTTP / unverified TLS to the registry (meant for loopback test registries)
 * @param baseImage the runtime base: a registry image reference (pin it by digest,
 *     {@code repo@sha256:...}, for reproducible builds) that has {@code java} on its PATH, or
 *     {@code jlink} for edgeloop's own small runtime (an empty base, the host's glibc and a jlinked
 *     JRE; needs a JDK with jmods on Linux x64)
 * @param runtimeModules modules of the jlinked runtime; empty = what the model server needs
 *     ({@link io.edgeloop.modelserver.ModelServer#RUNTIME_MODULES})
 * @param jdkHome the JDK whose jlink and jmods make the runtime; empty = the JDK running this service
 * @param systemLibraries host files copied into the {@code jlink} runtime, at the same paths: the
 *     dynamic loader, glibc, libstdc++ / libgcc_s (ONNX Runtime) and zlib (the JDK)
 * @param serverLibDir the model server's jars (its runtime dependency closure), built into
 *     {@code target/model-server-lib} by this module's build
 * @param workDir where this service keeps its build records
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
 * @param retry retries of a failed build/push
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
    @DefaultValue("eclipse-temurin:17-jre") @NotBlank String baseImage,
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
    @DefaultValue("model-server-lib") @NotNull Path serverLibDir,
    @DefaultValue(".edgeloop/packaging") @NotNull Path workDir,
    @DefaultValue(".edgeloop/packaging/cache") @NotNull Path cacheDir,
    @DefaultValue("https://github.com/edgeloop/edgeloop") String sourceUrl,
    @DefaultValue("docker") @NotNull SmokeMode smokeTest,
    @DefaultValue("unix:///var/run/docker.sock") @NotBlank String dockerHost,
    @DefaultValue("60s") @NotNull Duration smokeTimeout,
    @DefaultValue("1e-4") @DecimalMin("0") double tolerance,
    @DefaultValue @NotNull Retry retry) {

  public PackagingProperties {
    runtimeModules = runtimeModules == null || runtimeModules.isEmpty()
        ? io.edgeloop.modelserver.ModelServer.RUNTIME_MODULES : List.copyOf(runtimeModules);
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
   * Retries of a build and push that failed (registry unreachable, credentials refused, base image
   * missing): {@code maxAttempts} tries in all, waiting {@code initialDelay}, then that times
   * {@code multiplier}, between them.
   */
  public record Retry(
      @DefaultValue("3") @Min(1) int maxAttempts,
      @DefaultValue("2s") @NotNull Duration initialDelay,
      @DefaultValue("2.0") @DecimalMin("1.0") double multiplier) {}
}
