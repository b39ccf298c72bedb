package io.edgeloop.database;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL binaries that a killed process left half unpacked. zonky unpacks its archive into
 * {@code <working dir>/PG-<digest>/} (the working dir is {@code ot.epg.working-dir}, by default
 * {@code <java.io.tmpdir>/embedded-pg}, shared by every process of the machine) and marks it done
 * with a {@code .exists} file; a process killed in between leaves a folder without the mark, and
 * every later start unpacks into it again and fails on the first link already there
 * ({@code FileAlreadyExistsException}): no embedded PostgreSQL would start on that machine again.
 * Such a folder is removed before a start, unless a live process is unpacking into it (it holds
 * zonky's lock file there).
 */
final class UnfinishedBinaries {
  private static final Logger log = LoggerFactory.getLogger(UnfinishedBinaries.class);
  private static final String DONE_MARK = ".exists";

  /** zonky's working directory, read as zonky reads it. */
  static Path workingDirectory() {
    return Path.of(System.getProperty("ot.epg.working-dir", Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
  }

  /** Removes every unfinished unpacking in {@code workingDirectory} that nobody is carrying out. */
  static void removeFrom(Path workingDirectory) throws IOException {
    if (!Files.isDirectory(workingDirectory)) {
      return;
    }
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(workingDirectory, "PG-*")) {
      for (Path folder : folders) {
        if (Files.isDirectory(folder) && !Files.exists(folder.resolve(DONE_MARK))) {
          removeUnlessBeingUnpacked(folder);
        }
      }
    }
  }

  private static void removeUnlessBeingUnpacked(Path folder) throws IOException {
    Path lockFile = folder.resolve(StalePostmaster.LOCK_FILE);
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      if (lock == null || Files.exists(folder.resolve(DONE_MARK))) {
        return; // another process is unpacking, or has just finished
      }
      log.warn("PostgreSQL binaries in {} were left half unpacked by a process that was stopped; removing them to unpack again", folder);
      try (Stream<Path> paths = Files.walk(folder)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    } catch (OverlappingFileLockException e) {
      // this very JVM is unpacking there
    } catch (NoSuchFileException e) {
      // removed by another process meanwhile
    }
  }

  private UnfinishedBinaries() {}
}
