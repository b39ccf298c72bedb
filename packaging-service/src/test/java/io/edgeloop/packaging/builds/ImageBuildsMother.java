package io.edgeloop.packaging.builds;

import io.edgeloop.packaging.Infrastructure;
import io.edgeloop.packaging.config.PackagingProperties;
import io.edgeloop.packaging.image.JibImageBuilderTestSupport;
import io.edgeloop.packaging.smoke.NoSmokeTest;
import io.edgeloop.storage.LocalArtifactStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@link ImageBuilds} wired from real parts (jlinked runtime, local store, file records), configured like the service. */
final class ImageBuildsMother {
  private ImageBuildsMother() {}

  /** Properties bound exactly as Spring binds {@code edgeloop.packaging.*}, defaults included. */
  static PackagingProperties properties(Map<String, String> overrides) {
    Map<String, String> all = new HashMap<>();
    overrides.forEach((k, v) -> all.put("edgeloop.packaging." + k, v));
    return new Binder(new MapConfigurationPropertySource(all)).bindOrCreate("edgeloop.packaging", PackagingProperties.class);
  }

  static ImageBuilds imageBuilds(PackagingProperties p, Path work, MeterRegistry meters) throws IOException {
    return new ImageBuilds(p, new PackageFetcher(new LocalArtifactStore(work.resolve("blobs"))),
        JibImageBuilderTestSupport.jlinkBuilder(Infrastructure.cacheDir()), new NoSmokeTest(),
        new BuildStore(work.resolve("builds.json")), new BuildMetrics(meters), Clock.systemUTC());
  }
}
