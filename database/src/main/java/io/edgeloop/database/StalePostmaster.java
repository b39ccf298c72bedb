package io.edgeloop.database;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server that a killed process left running on a data directory. The owner of an
 * embedded server holds zonky's lock file ({@code epg-lock}) while it runs; when nobody holds it but
 * {@code postmaster.pid} names a live postgres process serving this directory, that server is an
 * orphan: it is asked to stop (fast shutdown, SIGINT) so that the next start finds the directory free.
 */
final class StalePostmaster {
  private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);
  static final String LOCK_FILE = "epg-lock";

  /** Stops an orphaned server on {@code dataDirectory}; throws when a live process still owns it. */
  static void stopIfOrphaned(Path dataDirectory, Duration timeout) throws IOException {
    Optional<ProcessHandle> postmaster = runningPostmaster(dataDirectory);
    if (postmaster.isEmpty()) {
      return;
    }
    if (!Files.exists(dataDirectory.resolve(LOCK_FILE)) || ownerIsGone(dataDirectory.resolve(LOCK_FILE))) {
      long pid = postmaster.get().pid();
      log.warn("PostgreSQL (pid {}) was left running on {} by a process that ended without stopping it; stopping it", pid, dataDirectory);
      signal(pid, "INT");
      if (!waitForExit(postmaster.get(), timeout)) {
        log.warn("PostgreSQL (pid {}) did not stop within {} s; stopping it immediately", pid, timeout.toSeconds());
        signal(pid, "QUIT");
        if (!waitForExit(postmaster.get(), Duration.ofSeconds(10))) {
          throw new IOException("PostgreSQL (pid " + pid + ") on " + dataDirectory + " does not stop; stop it by hand");
        }
      }
      return;
    }
    throw new IOException("PostgreSQL on " + dataDirectory + " (pid " + postmaster.get().pid()
        + ") belongs to another running process: is another edgeloop using this data folder?");
  }

  /** The live postgres process that {@code postmaster.pid} names for this directory, if any. */
  static Optional<ProcessHandle> runningPostmaster(Path dataDirectory) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (lines.size() < 2) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).strip());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    // A recycled pid may now be some other program: only a postgres process on this very directory counts.
    boolean sameDirectory = Files.isDirectory(Path.of(lines.get(1).strip()))
        && Files.isSameFile(Path.of(lines.get(1).strip()), dataDirectory);
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
        .filter(p -> sameDirectory);
  }

  /** True when nobody holds the lock file (its owner died; the operating system released the lock). */
  private static boolean ownerIsGone(Path lockFile) throws IOException {
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return false;
      }
      lock.release();
      return true;
    } catch (OverlappingFileLockException e) {
      return false; // this very JVM runs a server there
    }
  }

  private static void signal(long pid, String signal) throws IOException {
    try {
      // The JDK sends only TERM and KILL; PostgreSQL's fast shutdown is INT (TERM waits for clients).
      new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).inheritIO().start().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping PostgreSQL", e);
    }
  }

  private static boolean waitForExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private StalePostmaster() {}
}
