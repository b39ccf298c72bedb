package io.edgeloop.ingest.share;

import io.edgeloop.ingest.dataset.UnsafeLinkException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.util.Set;

/**
 * Folders inside a share, opened one level at a time from a trusted anchor (the share itself, or a
 * processed / quarantine folder the operator configured elsewhere) without following symbolic
 * links: a share writer may put a link among them, and tidy or quarantine must never write
 * through it. Each level is opened relative to its parent's handle with {@code O_NOFOLLOW}
 * ({@link SecureDirectoryStream}, i.e. {@code openat}), files are created {@code O_NOFOLLOW|O_EXCL}
 * and moved with {@code renameat} between handles, so a link swapped in after a check is not
 * followed either. A missing folder is created by path and then opened the same way.
 */
final class NoFollowFolders {
  private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

  private NoFollowFolders() {}

  /** An open folder: a handle for {@code *at} calls and the path it was reached by (for messages and URIs). */
  record Folder(SecureDirectoryStream<Path> handle, Path path) implements AutoCloseable {

    boolean exists(String name) throws IOException {
      try {
        handle.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
        return true;
      } catch (NoSuchFileException e) {
        return false;
      }
    }

    /** Writes a new file (replacing a regular file or link of that name, never writing through it). */
    void write(String name, byte[] content) throws IOException {
      Path file = Path.of(name);
      try {
        handle.deleteFile(file); // unlinkat: removes a planted link itself, not its target
      } catch (NoSuchFileException e) {
        // nothing there
      }
      try (SeekableByteChannel out = handle.newByteChannel(file, CREATE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
      }
    }

    void delete(String name) throws IOException {
      try {
        handle.deleteFile(Path.of(name));
      } catch (NoSuchFileException e) {
        // already gone
      }
    }

    /** Moves {@code name} into {@code target} as {@code targetName} (a link moves as the link). */
    void moveTo(String name, Folder target, String targetName) throws IOException {
      try {
        handle.move(Path.of(name), target.handle, Path.of(targetName));
      } catch (AtomicMoveNotSupportedException e) {
        // Another file system: copy through the handles, then remove the original.
        try (SeekableByteChannel in = handle.newByteChannel(Path.of(name), READ);
            SeekableByteChannel out = target.handle.newByteChannel(Path.of(targetName), CREATE)) {
          ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
          while (in.read(buffer) >= 0) {
            buffer.flip();
            while (buffer.hasRemaining()) {
              out.write(buffer);
            }
            buffer.clear();
          }
        }
        handle.deleteFile(Path.of(name));
      }
    }

    @Override
    public void close() throws IOException {
      handle.close();
    }
  }

  /**
   * Opens {@code anchor/relative}, each level below the anchor without following links; creates
   * missing levels when {@code create}. Throws {@link UnsafeLinkException} when a level is a link
   * (or anything but a folder).
   */
  static Folder open(Path anchor, Path relative, boolean create) throws IOException {
    if (create) {
      Files.createDirectories(anchor);
    }
    DirectoryStream<Path> root = Files.newDirectoryStream(anchor);
    if (!(root instanceof SecureDirectoryStream<Path> secure)) {
      root.close();
      throw new IOException("this file system cannot open folders without following links (no SecureDirectoryStream): " + anchor);
    }
    Folder folder = new Folder(secure, anchor);
    try {
      for (Path level : relative) {
        if (!level.toString().isEmpty()) { // Path.of("") iterates as one empty name
          folder = descend(folder, level.toString(), create);
        }
      }
      return folder;
    } catch (IOException | RuntimeException e) {
      folder.close();
      throw e;
    }
  }

  private static Folder descend(Folder parent, String name, boolean create) throws IOException {
    Path path = parent.path().resolve(name);
    SecureDirectoryStream<Path> child;
    try {
      child = parent.handle().newDirectoryStream(Path.of(name), LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      if (!create) {
        parent.close();
        throw e;
      }
      try {
        Files.createDirectory(path);
      } catch (FileAlreadyExistsException raced) {
        // made meanwhile; opened below like any other
      }
      try {
        child = parent.handle().newDirectoryStream(Path.of(name), LinkOption.NOFOLLOW_LINKS);
      } catch (FileSystemException again) {
        parent.close();
        throw refusal(path, again);
      }
    } catch (FileSystemException e) {
      parent.close();
      throw refusal(path, e);
    }
    parent.close();
    return new Folder(child, path);
  }

  private static IOException refusal(Path path, FileSystemException e) {
    if (Files.isSymbolicLink(path)) {
      return new UnsafeLinkException(path + " is a symbolic link: refusing to write through it");
    }
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      return new UnsafeLinkException(path + " is not a folder: refusing to use it");
    }
    return e;
  }
}
