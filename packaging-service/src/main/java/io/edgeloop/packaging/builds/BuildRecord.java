package io.edgeloop.packaging.builds;

import io.edgeloop.contracts.BuildFailureReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One model version's image build, as operators see it ({@code GET /api/images}).
 *
 * @param model model name
 * @param version model version
 * @param reference the tagged image reference
 * @param digest manifest digest once pushed
 * @param sizeBytes compressed image size (layers + config) once pushed
 * @param pushedBytes bytes the last push uploaded (blobs already in the registry are not sent)
 * @param status where it stands
 * @param reasonCode why it failed or is retrying (the {@code ImageBuildFailed.reason}); null otherwise
 * @param reason the same in words (also why it was skipped); null otherwise
 * @param announced whether {@code ImagePushed} is in the outbox (it is, exactly when the build is pushed)
 * @param signed whether the image's signature is stored beside it
 * @param smokeTest which smoke test ran ({@code docker}, {@code in-process}, {@code off})
 * @param attempts build attempts begun
 * @param labels the image labels
 * @param promoted whether the version was the champion when the build started
 * @param aliases its aliases then
 * @param owner the instance building it now; null when none
 * @param nextAttemptAt when a retrying build is tried again
 * @param startedAt when the first attempt started
 * @param finishedAt when it ended; null while open
 */
public record BuildRecord(
    String model,
    int version,
    String reference,
    String digest,
    long sizeBytes,
    long pushedBytes,
    BuildStatus status,
    BuildFailureReason reasonCode,
    String reason,
    boolean announced,
    boolean signed,
    String smokeTest,
    int attempts,
    Map<String, String> labels,
    boolean promoted,
    List<String> aliases,
    String owner,
    Instant nextAttemptAt,
    Instant startedAt,
    Instant finishedAt) {

  public BuildRecord {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
  }
}
