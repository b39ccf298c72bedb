package io.edgeloop.ingest.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How many times ingesting an input has started without ending, kept on disk so that an input that
 * crashes or hangs the whole service (out of memory, a native crash, a kill) is counted across
 * restarts too. An attempt is recorded before the work starts and forgotten when the input ends in
 * a version, a duplicate or quarantine, or fails for a reason that is not the input's (storage or
 * broker down); what is left counts against {@code edgeloop.ingest.limits.max-attempts}.
 */
final class Attempts {
  private final Path dir;

  Attempts(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  /** One attempt at one input: its number (1 for the first) and what the one before it failed with ("" if it never ended). */
  record Attempt(int number, String lastError) {

    String describeLast() {
      return lastError.isBlank() ? "the service stopped while ingesting it" : lastError;
    }
  }

  /** Records that an attempt at {@code item} starts now. */
  Attempt begin(IngestItem item) throws IOException {
    Path file = file(item);
    int before = 0;
    String lastError = "";
    if (Files.exists(file)) {
      String[] parts = Files.readString(file, StandardCharsets.UTF_8).split("\n", 2);
      try {
        before = Integer.parseInt(parts[0].trim());
      } catch (NumberFormatException e) {
        before = 0;
      }
      lastError = parts.length > 1 ? parts[1] : "";
    }
    Attempt attempt = new Attempt(before + 1, lastError);
    write(file, attempt.number(), ""); // left as it is if this attempt never ends

    return attempt;
  }

  /** The attempt failed because of the input (or nobody knows why): it keeps counting. */
  void failed(IngestItem item, Attempt attempt, Throwable error) throws IOException {
    write(file(item), attempt.number(), error.toString());
  }

  /** The attempt failed for a reason outside the input: it does not count. */
  void forgive(IngestItem item, Attempt attempt) throws IOException {
    if (attempt.number() <= 1) {
      done(item);
    } else {
      write(file(item), attempt.number() - 1, attempt.lastError());
    }
  }

  /** The input ended (version, duplicate or quarantine). */
  void done(IngestItem item) throws IOException {
    Files.deleteIfExists(file(item));
  }

  private void write(Path file, int number, String lastError) throws IOException {
    Path tmp = Files.createTempFile(dir, ".attempt-", ".tmp");
    Files.writeString(tmp, number + "\n" + lastError.replace('\n', ' '), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private Path file(IngestItem item) {
    try {
      byte[] key = MessageDigest.getInstance("SHA-256")
          .digest((item.kind() + "\n" + item.location() + "\n" + item.name()).getBytes(StandardCharsets.UTF_8));
      return dir.resolve(HexFormat.of().formatHex(key, 0, 16) + ".attempts");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
