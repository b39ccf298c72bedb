package io.edgeloop.packaging.config;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AuthConfig;
import io.edgeloop.packaging.builds.BuildMetrics;
import io.edgeloop.packaging.builds.BuildStore;
import io.edgeloop.packaging.builds.ImageBuilds;
import io.edgeloop.packaging.builds.PackageFetcher;
import io.edgeloop.packaging.image.DockerImageBuilder;
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
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the packaging parts from {@link PackagingProperties}: one place that picks the base, builder and smoke test. */
@Configuration
@EnableConfigurationProperties(PackagingProperties.class)
public class PackagingConfiguration {

  @Bean
  ImageLayout imageLayout(PackagingProperties p) {
    Path cache = p.cacheDir();
    Path jdk = p.jdkHome().isBlank() ? Path.of(System.getProperty("java.home")) : Path.of(p.jdkHome());
    JlinkRuntime runtime = new JlinkRuntime(jdk, p.runtimeModules(), p.systemLibraries(), cache.resolve("runtime"));
    ServerLayers server = new ServerLayers(p.serverLibDir(), new LinuxOnlyOnnxRuntime(cache.resolve("onnxruntime")));
    return new ImageLayout(p.jlinkBase() ? null : p.baseImage(), runtime, server);
  }

  @Bean
  ImageBuilder imageBuilder(PackagingProperties p, ImageLayout layout, ObjectProvider<DockerClient> docker) {
    return switch (p.builder()) {
      case JIB -> new JibImageBuilder(layout,
          new JibImageBuilder.Settings(p.username(), p.password(), p.allowInsecure(), p.cacheDir().resolve("jib")));
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

  @Bean
  ImageBuilds imageBuilds(PackagingProperties p, ObjectProvider<ArtifactStore> store, ImageBuilder builder,
      SmokeTest smokeTest, MeterRegistry meters, @Value("${edgeloop.data-dir:.edgeloop}") Path dataDir)
      throws IOException {
    // The storage module's auto-configuration provides the store (edgeloop.storage.uri) where present;
    // otherwise the embedded default.
    ArtifactStore artifacts = store.getIfAvailable();
    if (artifacts == null) {
      artifacts = new LocalArtifactStore(dataDir.resolve("blobs"));
    }
    return new ImageBuilds(p, new PackageFetcher(artifacts), builder, smokeTest,
        new BuildStore(p.workDir().resolve("builds.json")), new BuildMetrics(meters), Clock.systemUTC());
  }

  private static AuthConfig registryAuth(PackagingProperties p) {
    if (p.username().isEmpty()) {
      return null;
    }
    return new AuthConfig().withUsername(p.username()).withPassword(p.password()).withRegistryAddress(p.registry());
  }
}
