package io.edgeloop.ingest.share;

import io.edgeloop.ingest.IngestProperties;
import io.edgeloop.ingest.IngestProperties.SchemaChangePolicy;
import io.edgeloop.ingest.dataset.IngestItem;
import io.edgeloop.ingest.format.RejectedInputException;
import io.edgeloop.ingest.format.TableFormat;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * A settled file of a share; tidying moves it to the processed area (or deletes it), quarantine
 * moves it aside with its reason. Neither ever writes through a symbolic link ({@link NoFollowFolders}).
 */
final class ShareFile implements IngestItem {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS").withZone(ZoneOffset.UTC);

  private final IngestProperties.Share share;
  private final Path file;
  private final String relative;
  private final String dataset;
  private final TableFormat format;
  private final long size;
  private final FileTime modified;
  private final Instant readyAt;
  private final RejectedInputException refusal;

  ShareFile(IngestProperties.Share share, Path file, String dataset, TableFormat format, long size, FileTime modified, Instant readyAt,
      RejectedInputException refusal) {
    this.share = share;
    this.file = file;
    this.relative = share.path().relativize(file).toString().replace('\\', '/');
    this.dataset = dataset;
    this.format = format;
    this.size = size;
    this.modified = modified;
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
  public Optional<String> changedWhileRead(long bytesRead) throws IOException {
    BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (bytesRead != size || now.size() != size || !now.lastModifiedTime().equals(modified)) {
      return Optional.of("it had " + size + " bytes (modified " + modified + ") when it settled, " + bytesRead + " were read, and now it has "
          + now.size() + " (modified " + now.lastModifiedTime() + ")");
    }
    return Optional.empty();
  }

  @Override
  public void tidy(String sourceSha256) throws IOException {
    switch (share.afterSuccess()) {
      case DELETE -> {
        try (NoFollowFolders.Folder source = sourceFolder()) {
          source.delete(fileName());
          deleteMarkers(source);
        }
      }
      case KEEP -> {
        try (NoFollowFolders.Folder source = sourceFolder()) {
          deleteMarkers(source);
        }
      }
      default -> {
        try (NoFollowFolders.Folder source = sourceFolder(); NoFollowFolders.Folder target = areaFolder(share.processed())) {
          String name = target.exists(fileName()) ? sourceSha256.substring(0, 12) + "-" + fileName() : fileName();
          source.moveTo(fileName(), target, name);
          deleteMarkers(source);
        }
      }
    }
  }

  @Override
  public URI quarantine(byte[] reasonJson) throws IOException {
    try (NoFollowFolders.Folder source = sourceFolder(); NoFollowFolders.Folder target = areaFolder(share.quarantine())) {
      String name = target.exists(fileName()) ? STAMP.format(Instant.now()) + "-" + fileName() : fileName();
      target.write(name + ".reason.json", reasonJson);
      source.moveTo(fileName(), target, name);
      deleteMarkers(source);
      return target.path().resolve(name).toUri();
    }
  }

  private String fileName() {
    return file.getFileName().toString();
  }

  /** The folder holding the original, reached from the share's root without following links. */
  private NoFollowFolders.Folder sourceFolder() throws IOException {
    Path parent = share.path().relativize(file).getParent();
    return NoFollowFolders.open(share.path(), parent == null ? Path.of("") : parent, false);
  }

  /**
   * The processed or quarantine folder for this file: when the area lies inside the share (the
   * default {@code .processed} / {@code .quarantine}), every level from the share's root down is
   * checked, since share writers control those folders; an area configured elsewhere is trusted.
   */
  private NoFollowFolders.Folder areaFolder(Path area) throws IOException {
    Path root = share.path();
    Path parent = root.relativize(file).getParent();
    Path below = parent == null ? Path.of("") : parent;
    if (area.normalize().startsWith(root.normalize())) {
      return NoFollowFolders.open(root, root.normalize().relativize(area.normalize()).resolve(below), true);
    }
    return NoFollowFolders.open(area, below, true);
  }

  private void deleteMarkers(NoFollowFolders.Folder source) throws IOException {
    for (String suffix : share.markerSuffixes()) {
      source.delete(fileName() + suffix);
    }
  }
}
