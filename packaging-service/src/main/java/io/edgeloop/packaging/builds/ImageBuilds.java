package io.edgeloop.packaging.builds;

import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelPromoted;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.modelpackage.ModelManifest;
import io.edgeloop.modelpackage.ModelPackages;
import io.edgeloop.packaging.config.PackagingProperties;
import io.edgeloop.packaging.image.BuiltImage;
import io.edgeloop.packaging.image.ImageBuildException;
import io.edgeloop.packaging.image.ImageBuilder;
import io.edgeloop.packaging.image.ImageLabels;
import io.edgeloop.packaging.image.ImageRequest;
import io.edgeloop.packaging.smoke.SmokeTest;
import io.edgeloop.packaging.smoke.SmokeTestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a trained model into a pushed, smoke-tested serving image: policy, fetch the package,
 * build and push (retried with backoff), smoke test, and returns the {@link ImagePushed} to announce.
 * Nothing is returned for an image that failed at any step, so nothing false is announced; the
 * build record says why. Idempotent per model name and version: a version already pushed is not
 * built again, and is re-announced only if it never was.
 */
public final class ImageBuilds {
  private static final Logger log = LoggerFactory.getLogger(ImageBuilds.class);

  private final PackagingProperties properties;
  private final PackageFetcher fetcher;
  private final ImageBuilder builder;
  private final SmokeTest smokeTest;
  private final BuildStore store;
  private final BuildMetrics metrics;
  private final Clock clock;

  public ImageBuilds(PackagingProperties properties, PackageFetcher fetcher, ImageBuilder builder, SmokeTest smokeTest,
      BuildStore store, BuildMetrics metrics, Clock clock) {
    this.properties = properties;
    this.fetcher = fetcher;
    this.builder = builder;
    this.smokeTest = smokeTest;
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Builds the image of {@code model} if the policy wants it and it was not pushed before.
   *
   * @return the event to announce: for a new image, or for one pushed earlier but never announced
   */
  public Optional<ImagePushed> build(ModelTrained model) throws InterruptedException {
    Optional<BuildRecord> existing = store.find(model.modelName(), model.modelVersion());
    if (existing.isPresent() && existing.get().status() == BuildStatus.PUSHED) {
      BuildRecord done = existing.get();
      metrics.result("skipped");
      if (done.announced()) {
        log.info("{} version {} is already pushed as {} and announced: nothing to do", model.modelName(),
            model.modelVersion(), done.digest());
        return Optional.empty();
      }
      log.info("{} version {} was pushed as {} but never announced: announcing it", model.modelName(),
          model.modelVersion(), done.digest());
      return Optional.of(event(done));
    }
    Map<String, String> labels = ImageLabels.of(model, properties.sourceUrl());
    String reference = ImageLabels.reference(properties.registry(), properties.repositoryPrefix(), model);
    Instant started = clock.instant();
    BuildRecord record = BuildRecord.started(model.modelName(), model.modelVersion(), reference, labels,
        model.promoted(), smokeTest.name(), started);
    if (properties.policy() == PackagingProperties.Policy.PROMOTED_ONLY && !model.promoted()) {
      store.save(record.skipped("not promoted, and edgeloop.packaging.policy is promoted-only"));
      metrics.result("skipped");
      log.info("{} version {} is not promoted: not packaged (policy promoted-only)", model.modelName(),
          model.modelVersion());
      return Optional.empty();
    }
    store.save(record);
    Path work = null;
    int attempts = 0;
    try {
      work = Files.createTempDirectory("edgeloop-package-");
      Path packageDir = work.resolve("package");
      ModelManifest manifest = fetch(model, packageDir);
      BuiltImage image = null;
      Duration delay = properties.retry().initialDelay();
      while (image == null) {
        attempts++;
        try {
          image = builder.build(new ImageRequest(reference, packageDir, labels));
        } catch (ImageBuildException e) {
          if (attempts >= properties.retry().maxAttempts()) {
            throw new BuildFailure(e.getMessage() + " (gave up after " + attempts + " attempts)", e);
          }
          log.warn("building {} failed (attempt {}/{}): {}; retrying in {}", reference, attempts,
              properties.retry().maxAttempts(), e.getMessage(), delay);
          Thread.sleep(delay.toMillis());
          delay = Duration.ofMillis((long) (delay.toMillis() * properties.retry().multiplier()));
        }
      }
      metrics.pushed(image.pushedBytes());
      record = store.save(record.pushed(image.digest(), image.sizeBytes(), image.pushedBytes(), attempts));
      try {
        smokeTest.check(image, packageDir, manifest);
      } catch (SmokeTestException e) {
        throw new BuildFailure("smoke test (" + smokeTest.name() + ") failed: " + e.getMessage(), e);
      }
      record = store.save(record.smokeTested(clock.instant()));
      metrics.result("pushed");
      metrics.imageSize(model.modelName(), image.sizeBytes());
      log.info("image {} ({}) is pushed, smoke test {} passed: {} bytes, {} bytes uploaded", reference, image.digest(),
          smokeTest.name(), image.sizeBytes(), image.pushedBytes());
      return Optional.of(event(record));
    } catch (BuildFailure | IOException | RuntimeException e) {
      String reason = e instanceof BuildFailure ? e.getMessage()
          : e instanceof IOException ? "cannot read the model package: " + e.getMessage()
          : "packaging failed: " + e;
      store.save(record.failed(reason, attempts, clock.instant()));
      metrics.result("failed");
      log.warn("packaging {} version {} failed, nothing announced: {}", model.modelName(), model.modelVersion(), reason);
      return Optional.empty();
    } finally {
      metrics.duration(Duration.between(started, clock.instant()));
      deleteQuietly(work);
    }
  }

  /** Records that {@code pushed} was published. */
  public void announced(ImagePushed pushed) {
    store.find(pushed.modelName(), pushed.modelVersion()).ifPresent(r -> store.save(r.withAnnounced()));
  }

  /** Every build, newest first. */
  public List<BuildRecord> list() {
    return store.list();
  }

  private ModelManifest fetch(ModelTrained model, Path packageDir) throws IOException, BuildFailure {
    fetcher.fetch(model.packageUri(), packageDir);
    ModelManifest manifest;
    try {
      manifest = ModelPackages.read(packageDir).manifest();
    } catch (IllegalStateException e) {
      throw new BuildFailure("the model package is inconsistent: " + e.getMessage(), e);
    }
    if (manifest.onnxSha256() != null && !manifest.onnxSha256().equals(model.onnxSha256())) {
      throw new BuildFailure("the package at " + model.packageUri() + " holds ONNX " + manifest.onnxSha256()
          + " but the event announced " + model.onnxSha256(), null);
    }
    return manifest;
  }

  private ImagePushed event(BuildRecord record) {
    return new ImagePushed(record.model(), record.version(), record.reference(), record.digest(), record.sizeBytes(),
        record.labels(), record.promoted(), record.promoted() ? List.of(ModelPromoted.CHAMPION) : List.of(),
        record.finishedAt() == null ? clock.instant() : record.finishedAt());
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.debug("cannot delete {}: {}", dir, e.getMessage());
    }
  }

  /** A build step failed for a reason the record shows as is. */
  private static final class BuildFailure extends Exception {
    BuildFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
