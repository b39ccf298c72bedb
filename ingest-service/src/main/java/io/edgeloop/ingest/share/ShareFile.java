package io.edgeloop.ingest.share;

import io.edgeloop.ingest.IngestProperties;
import io.edgeloop.ingest.IngestProperties.SchemaChangePolicy;
import io.edgeloop.ingest.dataset.IngestItem;
import io.edgeloop.ingest.format.RejectedInputException;
import io.edgeloop.ingest.format.TableFormat;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** A settled file of a share; tidying moves it to the processed area (or deletes it), quarantine moves it aside with its reason. */
final class ShareFile implements IngestItem {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS").withZone(ZoneOffset.UTC);

  private final IngestProperties.Share share;
  private final Path file;
  private final String relative;
  private final String dataset;
  private final TableFormat format;
  private final long size;
  private final Instant readyAt;
  private final RejectedInputException refusal;

  ShareFile(IngestProperties.Share share, Path file, String dataset, TableFormat format, long size, Instant readyAt,
      RejectedInputException refusal) {
    this.share = share;
    this.file = file;
    this.relative = share.path().relativize(file).toString().replace('\\', '/');
    this.dataset = dataset;
    this.format = format;
    this.size = size;
    this.readyAt = readyAt;
    this.refusal = refusal;
  }

  Path file() {
    return file;
  }

  @Override
  public String kind() {
    return "share";
  }

  @Override
  public String location() {
    return share.path().toString();
  }

  @Override
  public String name() {
    return relative;
  }

  @Override
  public String dataset() {
    return dataset;
  }

  @Override
  public TableFormat format() {
    return format;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public long maxSize() {
    return share.maxFileSize().toBytes();
  }

  @Override
  public Instant readyAt() {
    return readyAt;
  }

  @Override
  public SchemaChangePolicy onSchemaChange() {
    return share.onSchemaChange();
  }

  @Override
  public Optional<RejectedInputException> refuseUnread() {
    return Optional.ofNullable(refusal);
  }

  @Override
  public InputStream open() throws IOException {
    // O_NOFOLLOW: a file swapped for a link after it settled is not followed out of the share.
    return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public void tidy(String sourceSha256) throws IOException {
    switch (share.afterSuccess()) {
      case DELETE -> Files.deleteIfExists(file);
      case KEEP -> { }
      default -> {
        Path target = share.processed().resolve(relative);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          target = target.resolveSibling(sourceSha256.substring(0, 12) + "-" + file.getFileName());
        }
        move(file, target);
      }
    }
    deleteMarkers();
  }

  @Override
  public URI quarantine(byte[] reasonJson) throws IOException {
    Path target = share.quarantine().resolve(relative);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      target = target.resolveSibling(STAMP.format(Instant.now()) + "-" + file.getFileName());
    }
    Files.createDirectories(target.getParent());
    Files.write(target.resolveSibling(target.getFileName() + ".reason.json"), reasonJson);
    move(file, target);
    deleteMarkers();
    return target.toUri();
  }

  private void deleteMarkers() throws IOException {
    for (String suffix : share.markerSuffixes()) {
      Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
    }
  }

  private static void move(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }
}
