package io.edgeloop.packaging.config;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AuthConfig;
import io.edgeloop.imagetrust.ImageSigner;
import io.edgeloop.imagetrust.SigningKeys;
import io.edgeloop.imagetrust.registry.RegistryClient;
import io.edgeloop.imagetrust.registry.RegistryCredentials;
import io.edgeloop.messaging.dedupe.ProcessedEvents;
import io.edgeloop.messaging.loop.PollLoops;
import io.edgeloop.messaging.outbox.Outbox;
import io.edgeloop.packaging.builds.BuildMetrics;
import io.edgeloop.packaging.builds.BuildRepository;
import io.edgeloop.packaging.builds.BuildRequests;
import io.edgeloop.packaging.builds.BuildWorker;
import io.edgeloop.packaging.builds.ImageBuilds;
import io.edgeloop.packaging.builds.PackageFetcher;
import io.edgeloop.packaging.image.DockerImageBuilder;
import io.edgeloop.packaging.image.ImageBuildException;
import io.edgeloop.packaging.image.ImageBuilder;
import io.edgeloop.packaging.image.ImageLayout;
import io.edgeloop.packaging.image.JibImageBuilder;
import io.edgeloop.packaging.image.JlinkRuntime;
import io.edgeloop.packaging.image.LinuxOnlyOnnxRuntime;
import io.edgeloop.packaging.image.ServerLayers;
import io.edgeloop.packaging.smoke.DockerEngines;
import io.edgeloop.packaging.smoke.DockerSmokeTest;
import io.edgeloop.packaging.smoke.InProcessSmokeTest;
import io.edgeloop.packaging.smoke.NoSmokeTest;
import io.edgeloop.packaging.smoke.SmokeTest;
import io.edgeloop.storage.ArtifactStore;
import io.edgeloop.storage.LocalArtifactStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the packaging parts from {@link PackagingProperties}: one place that picks the base, builder, signer and smoke test. */
@Configuration
@EnableConfigurationProperties(PackagingProperties.class)
public class PackagingConfiguration {
  private static final Logger log = LoggerFactory.getLogger(PackagingConfiguration.class);

  @Bean
  ImageLayout imageLayout(PackagingProperties p) {
    Path cache = p.cacheDir();
    Path jdk = p.jdkHome().isBlank() ? Path.of(System.getProperty("java.home")) : Path.of(p.jdkHome());
    JlinkRuntime runtime = new JlinkRuntime(jdk, p.runtimeModules(), p.systemLibraries(), cache.resolve("runtime"));
    ServerLayers server = new ServerLayers(p.serverLibDir(), cache.resolve("server-lib"), new LinuxOnlyOnnxRuntime(cache.resolve("onnxruntime")));
    return new ImageLayout(p.jlinkBase() ? null : p.baseImage(), runtime, server);
  }

  @Bean
  ImageBuilder imageBuilder(PackagingProperties p, ImageLayout layout, ObjectProvider<DockerClient> docker) {
    return switch (p.builder()) {
      case JIB -> new JibImageBuilder(layout,
          new JibImageBuilder.Settings(p.username(), p.password(), p.plainHttp(), p.cacheDir().resolve("jib")));
      case DOCKER -> new DockerImageBuilder(docker.getObject(), layout, registryAuth(p));
    };
  }

  @Bean
  SmokeTest smokeTest(PackagingProperties p, ObjectProvider<DockerClient> docker) {
    return switch (p.smokeTest()) {
      case DOCKER -> new DockerSmokeTest(docker.getObject(), registryAuth(p), p.smokeTimeout(), p.tolerance());
      case IN_PROCESS -> new InProcessSmokeTest(p.smokeTimeout(), p.tolerance());
      case OFF -> new NoSmokeTest();
    };
  }

  /** The Docker engine of the smoke test (and of the docker builder); a missing engine fails builds (with that reason), not startup. */
  @Bean(destroyMethod = "close")
  DockerClient dockerClient(PackagingProperties p) {
    return DockerEngines.connect(p.dockerHost());
  }

  /** The signer: with the operator's key pair, or one made on first start (private key mode 0600); none when off. */
  private static ImageSigner signer(PackagingProperties p, RegistryClient registry) throws IOException {
    if (!p.signing().enabled()) {
      log.warn("image signing is off (edgeloop.packaging.signing.enabled=false): deploy refuses unsigned images");
      return null;
    }
    Path publicKey = p.signing().resolvedPublicKeyFile();
    KeyPair keys = SigningKeys.loadOrCreate(p.signing().privateKeyFile(), publicKey);
    log.info("images are signed with key {} (public key {})", SigningKeys.keyId(keys.getPublic()), publicKey.toAbsolutePath());
    return new ImageSigner(registry, keys);
  }

  /** Signatures go to the registry images are pushed to, with its credentials only. */
  @Bean
  RegistryClient registryClient(PackagingProperties p) {
    List<RegistryCredentials> credentials = p.username().isEmpty() ? List.of()
        : List.of(new RegistryCredentials(p.registry(), p.username(), p.password()));
    return new RegistryClient(credentials, p.allowInsecure() ? List.of(p.registry()) : List.of(), Duration.ofSeconds(30));
  }

  @Bean
  BuildRepository buildRepository(JdbcTemplate jdbc) {
    return new BuildRepository(jdbc);
  }

  @Bean
  BuildMetrics buildMetrics(MeterRegistry meters) {
    return new BuildMetrics(meters);
  }

  @Bean
  ImageBuilds imageBuilds(PackagingProperties p, BuildRepository builds, ObjectProvider<ArtifactStore> store,
      ImageBuilder builder, RegistryClient registry, SmokeTest smokeTest, Outbox outbox,
      TransactionTemplate tx, BuildMetrics metrics, @Value("${edgeloop.data-dir:.edgeloop}") Path dataDir) throws IOException {
    // The storage module's auto-configuration provides the store (edgeloop.storage.uri) where present;
    // otherwise the embedded default.
    ArtifactStore artifacts = store.getIfAvailable();
    if (artifacts == null) {
      artifacts = new LocalArtifactStore(dataDir.resolve("blobs"));
    }
    return new ImageBuilds(p, builds, new PackageFetcher(artifacts), builder, signer(p, registry), smokeTest, outbox, tx, metrics,
        Clock.systemUTC());
  }

  @Bean
  BuildWorker buildWorker(PackagingProperties p, ImageBuilds builds, PollLoops loops, ImageBuilder builder) {
    Runnable warmUp = p.warmUp() && builder instanceof JibImageBuilder jib ? () -> warmUp(p, jib) : null;
    return new BuildWorker(builds, loops, p.pollInterval(), p.lease(), warmUp);
  }

  @Bean
  BuildRequests buildRequests(PackagingProperties p, BuildRepository builds, ProcessedEvents processed,
      TransactionTemplate tx, BuildMetrics metrics, BuildWorker worker) {
    return new BuildRequests(p, builds, processed, tx, metrics, worker::wakeUp);
  }

  /** The runtime and server layers, made and pushed before the first model needs them; a failure only logs. */
  private static void warmUp(PackagingProperties p, JibImageBuilder jib) {
    long start = System.nanoTime();
    String prefix = p.repositoryPrefix().replaceAll("^/+|/+$", "");
    try {
      long uploaded = jib.warmUp(p.registry() + "/" + (prefix.isEmpty() ? "" : prefix + "/") + "warm-up:0");
      log.info("warm-up: runtime and server layers ready in the registry after {} ms ({} bytes uploaded)",
          (System.nanoTime() - start) / 1_000_000, uploaded);
    } catch (ImageBuildException e) {
      log.warn("warm-up failed ({}): the first build makes the server layers itself", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static AuthConfig registryAuth(PackagingProperties p) {
    if (p.username().isEmpty()) {
      return null;
    }
    return new AuthConfig().withUsername(p.username()).withPassword(p.password()).withRegistryAddress(p.registry());
  }
}
