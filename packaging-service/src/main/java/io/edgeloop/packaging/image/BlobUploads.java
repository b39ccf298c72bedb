package io.edgeloop.packaging.image;

import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.events.TimerEvent;
import io.edgeloop.messaging.crash.CrashPoints;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures what one Jib push sent, from Jib's own events: every blob of the image (layers and
 * config) gets a progress allocation {@code "pushing blob <digest>"} sized in bytes, and only a
 * blob that is really uploaded (not already in the registry, not cross-repository mounted) reaches
 * the {@code "pushBlob PATCH <digest>"} timer lap. Base image layers that the target repository
 * already holds get no allocation; Jib logs them instead ({@code "Skipping pull; BLOB already exists
 * on target registry : digest: <digest>, size: <n>"}). So the image size is the sum of all blob
 * sizes and the bytes pushed the sum over the uploaded ones.
 */
final class BlobUploads {
  /** The crash tests' point ({@link CrashPoints}): a blob uploaded, the manifest not yet. */
  static final String MID_PUSH = "edgeloop.packaging.test.halt-mid-push";
  private static final String BLOB = "pushing blob ";
  private static final String PATCH = "pushBlob PATCH ";
  private static final Pattern ALREADY_IN_TARGET =
      Pattern.compile("^Skipping pull; BLOB already exists on target registry : digest: (\\S+), size: (\\d+)");

  private final Map<String, Long> sizes = new ConcurrentHashMap<>();
  private final Set<String> uploaded = ConcurrentHashMap.newKeySet();

  void onProgress(ProgressEvent event) {
    String description = event.getAllocation().getDescription();
    if (description.startsWith(BLOB)) {
      sizes.put(description.substring(BLOB.length()), event.getAllocation().getAllocationUnits());
    }
  }

  void onLog(LogEvent event) {
    Matcher m = ALREADY_IN_TARGET.matcher(event.getMessage());
    if (m.find()) {
      sizes.put(m.group(1), Long.parseLong(m.group(2)));
    }
  }

  void onTimer(TimerEvent event) {
    String description = event.getDescription();
    if (description.startsWith(PATCH)) {
      uploaded.add(description.substring(PATCH.length()));
      // A blob is uploaded and the manifest is not: the middle of the push.
      CrashPoints.reached(MID_PUSH, description);
    }
  }

  /** Bytes of all the image's blobs (compressed layers and the config). */
  long imageBytes() {
    return sizes.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Bytes of the blobs that were uploaded. */
  long uploadedBytes() {
    return uploaded.stream().mapToLong(d -> sizes.getOrDefault(d, 0L)).sum();
  }

  int blobs() {
    return sizes.size();
  }

  int uploadedBlobs() {
    return uploaded.size();
  }
}
