package io.edgeloop.ingest.share;

import io.edgeloop.contracts.DataRejected;
import io.edgeloop.ingest.IngestProperties;
import io.edgeloop.ingest.dataset.Rejections;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.FileVisitResult;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up sweep of a share's quarantine area: a file quarantined beside its reason file whose
 * DataRejected was never recorded (the service died between the move and the record) is recorded
 * now, from the reason file, with the time it holds, so it gets the id it would have had. Files of
 * shares only: a blob or stream batch is offered again by its source after such a crash (its
 * position was not saved), and rejected and announced then.
 */
public final class QuarantineSweep {
  private static final Logger log = LoggerFactory.getLogger(QuarantineSweep.class);
  private static final String SUFFIX = ".reason.json";
  /** Reason files are small; anything larger is not one of ours and is not read. */
  private static final long MAX_REASON_BYTES = 64 * 1024;

  private QuarantineSweep() {}

  /** Records every unrecorded rejection in {@code share}'s quarantine area; returns how many. */
  public static int sweep(IngestProperties.Share share, Rejections rejections) throws IOException {
    Path area = areaPath(share);
    if (!Files.isDirectory(area, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    int[] recorded = {0};
    // Links are not followed, and a folder that cannot be read is logged and skipped: the sweep must not stop the service.
    Files.walkFileTree(area, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path reason, BasicFileAttributes attributes) {
        String name = reason.getFileName().toString();
        if (name.endsWith(SUFFIX) && attributes.isRegularFile() && attributes.size() <= MAX_REASON_BYTES && record(share, reason, rejections)) {
          recorded[0]++;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        log.warn("share {}: cannot read {} while sweeping the quarantine: {}", share.displayName(), file, e.toString());
        return FileVisitResult.CONTINUE;
      }
    });
    return recorded[0];
  }

  private static boolean record(IngestProperties.Share share, Path reason, Rejections rejections) {
    String name = reason.getFileName().toString();
    Path quarantined = reason.resolveSibling(name.substring(0, name.length() - SUFFIX.length()));
    if (!Files.exists(quarantined, LinkOption.NOFOLLOW_LINKS)) {
      return false; // the move never happened: the original is still in the share and will be offered again
    }
    byte[] json;
    try {
      json = Files.readAllBytes(reason);
    } catch (IOException e) {
      log.warn("share {}: cannot read {} while sweeping the quarantine: {}", share.displayName(), reason, e.toString());
      return false;
    }
    Optional<DataRejected> event = Rejections.fromReasonJson(json, quarantined.toUri().toString());
    if (event.isEmpty() || rejections.recorded(event.get()) || !rejections.record(event.get())) {
      return false;
    }
    log.info("share {}: {} was quarantined ({}) before a restart without its DataRejected; recorded now", share.displayName(),
        event.get().source().item(), event.get().reasonCode().wire());
    return true;
  }

  /** The area as {@link ShareFile} names the files it quarantines (so the URIs, and the event ids, match). */
  private static Path areaPath(IngestProperties.Share share) {
    Path root = share.path();
    Path area = share.quarantine();
    if (area.normalize().startsWith(root.normalize())) {
      return root.resolve(root.normalize().relativize(area.normalize()));
    }
    return area;
  }
}
