package io.edgeloop.ingest.share;

import io.edgeloop.ingest.IngestProperties;
import io.edgeloop.ingest.dataset.IngestWorker;
import io.edgeloop.ingest.dataset.Outcome;
import io.edgeloop.ingest.format.RejectedInputException;
import io.edgeloop.ingest.format.TableFormat;
import io.edgeloop.storage.dataset.DatasetLayout;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one share (inotify is unreliable on network mounts). A file is complete when its size and
 * mtime have not changed for the settle time, or at once when its marker exists. Links are never
 * followed: one that resolves outside the share is quarantined (the link, not its target), one
 * inside is skipped (its target is picked up itself).
 */
public class ShareWatcher {
  private static final Logger log = LoggerFactory.getLogger(ShareWatcher.class);
  private static final List<String> TEMPORARY_SUFFIXES =
      List.of(".tmp", ".temp", ".part", ".partial", ".crdownload", ".swp", ".filepart", "~", ".reason.json");

  private static final Duration RETRY_DELAY = Duration.ofSeconds(5);

  private final IngestProperties.Share share;
  private final TableFormat format;
  private final IngestWorker worker;
  private final Clock clock;
  private final Map<Path, Observation> observations = new ConcurrentHashMap<>();
  private final Set<Path> inFlight = ConcurrentHashMap.newKeySet();
  private final Set<Path> warned = ConcurrentHashMap.newKeySet();
  private final Map<Path, Instant> retryAfter = new ConcurrentHashMap<>();
  /** Files handled but still here (kept by policy, or not movable): left alone until they change. */
  private final Map<Path, Observation> leftBehind = new ConcurrentHashMap<>();

  private record Observation(long size, FileTime modified, Instant since) {}

  public ShareWatcher(IngestProperties.Share share, IngestWorker worker, Clock clock) throws IOException {
    if (share.dataset() == null && !share.datasetPerSubfolder()) {
      throw new IllegalArgumentException("share " + share.path() + ": set dataset or dataset-per-subfolder");
    }
    this.share = share;
    this.format = share.format().toTableFormat();
    this.worker = worker;
    this.clock = clock;
    Files.createDirectories(share.path());
  }

  public IngestProperties.Share share() {
    return share;
  }

  /** Files seen but not yet handled: settling, queued or in progress. */
  public int pending() {
    return observations.size();
  }

  /** One scan of the share. */
  public void poll() {
    Path root = share.path();
    if (!Files.isDirectory(root)) {
      return;
    }
    Instant now = clock.instant();
    Set<Path> present = new HashSet<>();
    try {
      Path realRoot = root.toRealPath();
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (!dir.equals(root) && (hidden(dir.getFileName().toString()) || dir.equals(share.processed()) || dir.equals(share.quarantine()))) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          String name = file.getFileName().toString();
          if (ignored(name)) {
            return FileVisitResult.CONTINUE;
          }
          present.add(file);
          if (!inFlight.contains(file)) {
            consider(file, attrs, realRoot, now);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          log.debug("share {}: cannot read {}: {}", share.displayName(), file, e.toString());
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      log.warn("share {}: scan failed: {}", share.displayName(), e.toString());
      return;
    }
    observations.keySet().retainAll(present);
    retryAfter.keySet().retainAll(present);
    leftBehind.keySet().retainAll(present);
  }

  private void consider(Path file, BasicFileAttributes attrs, Path realRoot, Instant now) {
    String dataset = datasetFor(file);
    if (dataset == null) {
      return;
    }
    if (attrs.isSymbolicLink()) {
      Path target;
      try {
        target = file.toRealPath();
      } catch (IOException e) {
        target = null;
      }
      if (target != null && target.startsWith(realRoot)) {
        return;
      }
      RejectedInputException refusal = new RejectedInputException(RejectedInputException.LINK_OUTSIDE_SHARE,
          file.getFileName() + " is a link to " + (target == null ? "a missing target" : target) + ", outside the share; links are not followed");
      submit(new ShareFile(share, file, dataset, format, 0, attrs.lastModifiedTime(), now, refusal));
      return;
    }
    if (!attrs.isRegularFile()) {
      return;
    }
    Observation left = leftBehind.get(file);
    if (left != null) {
      if (left.size() == attrs.size() && left.modified().equals(attrs.lastModifiedTime())) {
        return;
      }
      leftBehind.remove(file);
    }
    Instant retry = retryAfter.get(file);
    if (retry != null && now.isBefore(retry)) {
      return;
    }
    Observation seen = observations.get(file);
    if (seen == null || seen.size() != attrs.size() || !seen.modified().equals(attrs.lastModifiedTime())) {
      seen = new Observation(attrs.size(), attrs.lastModifiedTime(), now);
      observations.put(file, seen);
    }
    boolean settled = Duration.between(seen.since(), now).compareTo(share.settleTime()) >= 0;
    if (settled || hasMarker(file)) {
      submit(new ShareFile(share, file, dataset, format, attrs.size(), attrs.lastModifiedTime(), now, null));
    }
  }

  private void submit(ShareFile item) {
    Path file = item.file();
    inFlight.add(file);
    worker.submit(item).whenComplete((outcome, error) -> {
      observations.remove(file);
      inFlight.remove(file);
      if (error != null) {
        log.warn("share {}: {} failed, will retry", share.displayName(), item.name(), error);
      } else if (outcome instanceof Outcome.Retry retry) {
        log.info("share {}: {} will be retried: {}", share.displayName(), item.name(), retry.reason());
        retryAfter.put(file, clock.instant().plus(RETRY_DELAY.compareTo(share.settleTime()) > 0 ? RETRY_DELAY : share.settleTime()));
      } else {
        retryAfter.remove(file);
        rememberIfStillHere(item);
      }
    });
  }

  private void rememberIfStillHere(ShareFile item) {
    try {
      BasicFileAttributes attrs = Files.readAttributes(item.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      leftBehind.put(item.file(), new Observation(attrs.size(), attrs.lastModifiedTime(), clock.instant()));
      if (share.afterSuccess() != IngestProperties.AfterSuccess.KEEP) {
        log.warn("share {}: {} is still in the share after it was handled; it is left alone until it changes",
            share.displayName(), item.name());
      }
    } catch (IOException e) {
      // gone, as it should be
    }
  }

  private boolean hasMarker(Path file) {
    for (String suffix : share.markerSuffixes()) {
      if (Files.exists(file.resolveSibling(file.getFileName() + suffix))) {
        return true;
      }
    }
    return false;
  }

  private String datasetFor(Path file) {
    if (!share.datasetPerSubfolder()) {
      return share.dataset();
    }
    Path relative = share.path().relativize(file);
    if (relative.getNameCount() < 2) {
      if (warned.add(file)) {
        log.warn("share {}: {} is not in a subfolder; with dataset-per-subfolder it is left alone", share.displayName(), relative);
      }
      return null;
    }
    String name = relative.getName(0).toString();
    try {
      return DatasetLayout.requireName(name);
    } catch (IllegalArgumentException e) {
      if (warned.add(file)) {
        log.warn("share {}: subfolder '{}' is not a valid dataset name; {} is left alone", share.displayName(), name, relative);
      }
      return null;
    }
  }

  private boolean ignored(String name) {
    if (hidden(name)) {
      return true;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    for (String suffix : TEMPORARY_SUFFIXES) {
      if (lower.endsWith(suffix)) {
        return true;
      }
    }
    for (String marker : share.markerSuffixes()) {
      if (lower.endsWith(marker.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hidden(String name) {
    return name.startsWith(".") || name.startsWith("~");
  }
}
