package io.edgeloop.packaging.builds;

import java.time.Instant;
import java.util.Map;

/**
 * One model version's image build, as operators see it ({@code GET /api/images}).
 *
 * @param model model name
 * @param version model version
 * @param reference the tagged image reference
 * @param digest manifest digest once pushed
 * @param sizeBytes compressed image size (layers + config) once pushed
 * @param pushedBytes bytes this build uploaded (blobs already in the registry are not sent)
 * @param status where it stands
 * @param reason why it failed or was skipped; null otherwise
 * @param announced whether {@code ImagePushed} was published
 * @param smokeTest which smoke test ran ({@code docker}, {@code in-process}, {@code off})
 * @param attempts build/push attempts made
 * @param labels the image labels
 * @param promoted whether the version was the champion when the build started (from ModelTrained)
 * @param startedAt when the build started
 * @param finishedAt when it ended; null while running
 */
public record BuildRecord(
    String model,
    int version,
    String reference,
    String digest,
    long sizeBytes,
    long pushedBytes,
    BuildStatus status,
    String reason,
    boolean announced,
    String smokeTest,
    int attempts,
    Map<String, String> labels,
    boolean promoted,
    Instant startedAt,
    Instant finishedAt) {

  public BuildRecord {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  static BuildRecord started(String model, int version, String reference, Map<String, String> labels,
      boolean promoted, String smokeTest, Instant now) {
    return new BuildRecord(model, version, reference, null, 0, 0, BuildStatus.BUILDING, null, false, smokeTest, 0,
        labels, promoted, now, null);
  }

  String key() {
    return key(model, version);
  }

  static String key(String model, int version) {
    return model + ":" + version;
  }

  BuildRecord pushed(String newDigest, long size, long pushed, int attemptCount) {
    return new BuildRecord(model, version, reference, newDigest, size, pushed, BuildStatus.SMOKE_TESTING, null, false,
        smokeTest, attemptCount, labels, promoted, startedAt, null);
  }

  BuildRecord smokeTested(Instant now) {
    return new BuildRecord(model, version, reference, digest, sizeBytes, pushedBytes, BuildStatus.PUSHED, null, false,
        smokeTest, attempts, labels, promoted, startedAt, now);
  }

  BuildRecord failed(String why, int attemptCount, Instant now) {
    return new BuildRecord(model, version, reference, digest, sizeBytes, pushedBytes, BuildStatus.FAILED, why, false,
        smokeTest, attemptCount, labels, promoted, startedAt, now);
  }

  BuildRecord skipped(String why) {
    return new BuildRecord(model, version, reference, null, 0, 0, BuildStatus.SKIPPED, why, false, smokeTest, 0,
        labels, promoted, startedAt, startedAt);
  }

  BuildRecord withAnnounced() {
    return new BuildRecord(model, version, reference, digest, sizeBytes, pushedBytes, status, reason, true,
        smokeTest, attempts, labels, promoted, startedAt, finishedAt);
  }
}
