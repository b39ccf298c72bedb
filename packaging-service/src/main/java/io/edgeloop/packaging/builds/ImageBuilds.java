package io.edgeloop.packaging.builds;

import io.edgeloop.contracts.BuildFailureReason;
import io.edgeloop.contracts.ImageBuildFailed;
import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.imagetrust.ImageSigner;
import io.edgeloop.imagetrust.registry.RegistryException;
import io.edgeloop.messaging.outbox.Outbox;
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
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds claimed model versions into pushed, signed, smoke-tested serving images: fetch the package,
 * build and push, sign the digest, smoke test, then mark the build pushed and write
 * {@code ImagePushed} to the outbox in one transaction, so the image is announced exactly when (and
 * once) its build is recorded as done. A transient failure releases the build to be tried again
 * after a backoff (by this or another instance) until {@code retry.give-up-after}; a permanent one,
 * or giving up, marks it failed and writes {@code ImageBuildFailed} in the same way. Every change is
 * fenced on this instance still owning the build.
 */
public final class ImageBuilds {
  private static final Logger log = LoggerFactory.getLogger(ImageBuilds.class);

  private final PackagingProperties properties;
  private final BuildRepository builds;
  private final PackageFetcher fetcher;
  private final ImageBuilder builder;
  private final ImageSigner signer;
  private final SmokeTest smokeTest;
  private final Outbox outbox;
  private final TransactionTemplate tx;
  private final BuildMetrics metrics;
  private final Clock clock;

  /** @param signer null when signing is turned off */
  public ImageBuilds(PackagingProperties properties, BuildRepository builds, PackageFetcher fetcher, ImageBuilder builder,
      ImageSigner signer, SmokeTest smokeTest, Outbox outbox, TransactionTemplate tx, BuildMetrics metrics, Clock clock) {
    this.properties = properties;
    this.builds = builds;
    this.fetcher = fetcher;
    this.builder = builder;
    this.signer = signer;
    this.smokeTest = smokeTest;
    this.outbox = outbox;
    this.tx = tx;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The builds this process is carrying out now ({@code model@version}). */
  private final java.util.Set<String> held = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** This instance's name as owner of the builds it claims. */
  public String owner() {
    return properties.instanceId();
  }

  /**
   * Claims the next build that is due and carries it to its end (pushed, retrying or failed).
   *
   * @return whether there was one
   * @throws DataAccessException when the database is away (the claim's lease then runs out and the
   *     build is taken up again)
   */
  public boolean buildNext() throws InterruptedException {
    Optional<BuildRepository.Claim> claim = builds.claimNext(owner(), properties.lease());
    if (claim.isEmpty()) {
      return false;
    }
    String key = claim.get().model() + "@" + claim.get().version();
    held.add(key);
    try {
      build(claim.get());
    } finally {
      held.remove(key);
    }
    return true;
  }

  /**
   * Renews the leases of the builds this process is carrying out (the heartbeat); returns how many.
   * Only those: a build recorded under this instance id by an earlier process of it (a restart with
   * a configured id) must run out, not be kept alive by a process that does not build it.
   */
  public int renewLeases() {
    int renewed = 0;
    for (String key : held) {
      int at = key.lastIndexOf('@');
      if (builds.renewLease(owner(), key.substring(0, at), Integer.parseInt(key.substring(at + 1)), properties.lease())) {
        renewed++;
      }
    }
    return renewed;
  }

  /** At start: the builds an earlier process with this instance id left open are claimed again now. */
  public int releaseLeftByEarlierProcess() {
    int left = builds.releaseLeftBy(owner());
    if (left > 0) {
      log.warn("instance {}: {} build(s) left open by an earlier process of this instance id; taken up again", owner(), left);
    }
    return left;
  }

  void build(BuildRepository.Claim claim) throws InterruptedException {
    ModelTrained model = claim.trained();
    if (claim.takenOver()) {
      log.warn("{} version {}: taking over a build whose owner stopped renewing its lease (attempt {})", claim.model(),
          claim.version(), claim.attempts());
    }
    Instant started = clock.instant();
    Path work = null;
    try {
      work = Files.createTempDirectory("edgeloop-package-");
      Path packageDir = work.resolve("package");
      ModelManifest manifest = fetch(model, packageDir);
      CrashTestHook.midBuild(claim.model(), claim.version());
      BuiltImage image = push(claim, model, packageDir);
      sign(image);
      metrics.pushed(image.pushedBytes());
      if (!builds.smokeTesting(claim, owner(), image.digest(), image.sizeBytes(), image.pushedBytes(), smokeTest.name())) {
        log.warn("{} version {}: another instance took the build over; leaving it to that one", claim.model(), claim.version());
        return;
      }
      CrashTestHook.afterPush(claim.model(), claim.version());
      smokeTest(image, packageDir, manifest, claim.version());
      announcePushed(claim, image);
      metrics.imageSize(claim.model(), image.sizeBytes());
      log.info("image {} ({}) is pushed, signed, smoke test {} passed: {} bytes, {} bytes uploaded", image.reference(),
          image.digest(), smokeTest.name(), image.sizeBytes(), image.pushedBytes());
    } catch (InterruptedException e) {
      // Stopping: hand the build back now rather than after the lease (it is redone from the start).
      builds.release(claim, owner());
      log.info("{} version {}: stopped mid-build, released", claim.model(), claim.version());
      throw e;
    } catch (BuildFailure failure) {
      ended(claim, failure);
    } catch (IOException e) {
      ended(claim, BuildFailure.transientFailure(BuildFailureReason.INTERNAL_ERROR,
          "no scratch space for the package: " + e.getMessage(), e));
    } catch (DataAccessException e) {
      throw e;
    } catch (RuntimeException e) {
      // Not a failure any step knows: tried again (it may be the environment) until giving up.
      log.error("{} version {}: unexpected failure", claim.model(), claim.version(), e);
      ended(claim, BuildFailure.transientFailure(BuildFailureReason.INTERNAL_ERROR, "packaging failed: " + e, e));
    } finally {
      metrics.duration(Duration.between(started, clock.instant()));
      deleteQuietly(work);
    }
  }

  private ModelManifest fetch(ModelTrained model, Path packageDir) throws BuildFailure {
    try {
      fetcher.fetch(model.packageUri(), packageDir);
    } catch (PackageFetcher.PackageNotFoundException e) {
      throw BuildFailure.permanent(BuildFailureReason.INVALID_PACKAGE, "cannot read the model package: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw BuildFailure.transientFailure(BuildFailureReason.INTERNAL_ERROR,
          "cannot fetch the model package (blob store unreachable?): " + e.getMessage(), e);
    }
    ModelManifest manifest;
    try {
      manifest = ModelPackages.read(packageDir).manifest();
    } catch (IOException | RuntimeException e) {
      throw BuildFailure.permanent(BuildFailureReason.INVALID_PACKAGE, "the model package is inconsistent: " + e.getMessage(), e);
    }
    if (manifest.onnxSha256() != null && !manifest.onnxSha256().equals(model.onnxSha256())) {
      throw BuildFailure.permanent(BuildFailureReason.INVALID_PACKAGE, "the package at " + model.packageUri() + " holds ONNX "
          + manifest.onnxSha256() + " but the event announced " + model.onnxSha256(), null);
    }
    return manifest;
  }

  private BuiltImage push(BuildRepository.Claim claim, ModelTrained model, Path packageDir)
      throws BuildFailure, InterruptedException {
    try {
      return builder.build(new ImageRequest(claim.reference(), packageDir, claim.labels(), ImageLabels.environment(model)));
    } catch (ImageBuildException e) {
      throw new BuildFailure(e.reason(), e.isTransient(), e.getMessage(), e);
    }
  }

  private void sign(BuiltImage image) throws BuildFailure, InterruptedException {
    if (signer == null) {
      return;
    }
    try {
      signer.sign(image.pinnedReference());
    } catch (RegistryException e) {
      throw new BuildFailure(e.isTransient() ? BuildFailureReason.REGISTRY_UNREACHABLE : BuildFailureReason.REGISTRY_DENIED,
          e.isTransient(), "signing " + image.pinnedReference() + " failed: " + e.getMessage(), e);
    }
  }

  private void smokeTest(BuiltImage image, Path packageDir, ModelManifest manifest, int version)
      throws BuildFailure, InterruptedException {
    try {
      smokeTest.check(image, packageDir, manifest, Integer.toString(version));
    } catch (SmokeTestException e) {
      throw new BuildFailure(BuildFailureReason.SMOKE_TEST_FAILED, e.isTransient(),
          "smoke test (" + smokeTest.name() + ") failed: " + e.getMessage(), e);
    }
  }

  private void announcePushed(BuildRepository.Claim claim, BuiltImage image) {
    Boolean announced = tx.execute(status -> {
      if (!builds.pushed(claim, owner())) {
        return false;
      }
      BuildRecord now = builds.find(claim.model(), claim.version()).orElseThrow();
      outbox.add(new ImagePushed(claim.model(), claim.version(), image.reference(), image.digest(), image.sizeBytes(),
          claim.labels(), now.promoted(), now.aliases(), clock.instant()));
      return true;
    });
    if (Boolean.TRUE.equals(announced)) {
      metrics.result("pushed");
    } else {
      log.warn("{} version {}: another instance took the build over before it was announced", claim.model(), claim.version());
    }
  }

  private void ended(BuildRepository.Claim claim, BuildFailure failure) {
    Instant now = clock.instant();
    Instant since = claim.retryingSince() == null ? now : claim.retryingSince();
    boolean givingUp = Duration.between(since, now).compareTo(properties.retry().giveUpAfter()) >= 0;
    if (failure.isTransient() && !givingUp) {
      Duration delay = properties.retry().delay(claim.retries());
      if (builds.retryLater(claim, owner(), failure.reason(), failure.getMessage(), now.plus(delay))) {
        metrics.result("retried");
        log.warn("{} version {}: {} ({}); trying again in {}", claim.model(), claim.version(), failure.getMessage(),
            failure.reason().wire(), delay);
      }
      return;
    }
    String reason = failure.isTransient()
        ? failure.getMessage() + " (gave up after " + Duration.between(since, now).toSeconds() + " s of retries)"
        : failure.getMessage();
    Boolean recorded = tx.execute(status -> builds.failed(claim, owner(), failure.reason(), reason).map(attempt -> {
      outbox.add(new ImageBuildFailed(claim.model(), claim.version(), failure.reason(), reason, attempt, now));
      return true;
    }).orElse(false));
    if (Boolean.TRUE.equals(recorded)) {
      metrics.result("failed");
      log.warn("packaging {} version {} failed ({}): {}", claim.model(), claim.version(), failure.reason().wire(), reason);
    }
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

  /** The public key that verifies this service's image signatures; empty when signing is off. */
  public Optional<java.security.PublicKey> signingKey() {
    return Optional.ofNullable(signer).map(ImageSigner::publicKey);
  }

  /** Every build, newest first (the latest 500). */
  public List<BuildRecord> list() {
    return builds.list(500);
  }
}
