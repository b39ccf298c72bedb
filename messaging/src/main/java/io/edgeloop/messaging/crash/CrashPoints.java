package io.edgeloop.messaging.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Points where the crash tests hold a service so that they can {@code kill -9} it exactly there.
 * Off unless the JVM's system property of the point names a file. Then the first process to reach
 * the point makes that file (its content: what was at the point and the process id) and waits
 * forever; a process that finds the file already made goes on. So a point holds once per file:
 * whichever instance of a replicated service reaches it first, and not again after the test
 * restarts the killed one with the same options.
 *
 * <p>The points, by service: ingest {@code edgeloop.ingest.test.halt-after-store},
 * {@code halt-after-announce}, {@code halt-mid-conversion}, {@code halt-after-quarantine}; every
 * service with an outbox {@value OUTBOX_BEFORE_PUBLISH} and {@value OUTBOX_AFTER_PUBLISH} (rows of
 * the type named by {@value OUTBOX_TYPE} only, where set); packaging
 * {@code edgeloop.packaging.test.halt-mid-build}, {@code halt-mid-push} (a blob uploaded, the
 * manifest not) and {@code halt-after-push}; deploy
 * {@code edgeloop.deploy.test.halt-before-switch} and {@code halt-after-deploy}.
 */
public final class CrashPoints {
  /** An outbox row is read and locked, not yet published (for training: the registry has committed). */
  public static final String OUTBOX_BEFORE_PUBLISH = "edgeloop.messaging.test.halt-before-relay";
  /** An outbox row is published and not yet marked sent (a restart publishes it again, with its id). */
  public static final String OUTBOX_AFTER_PUBLISH = "edgeloop.messaging.test.halt-after-relay-publish";
  /** The event type ({@code ce_type}) the outbox points hold at; every type where unset. */
  public static final String OUTBOX_TYPE = "edgeloop.messaging.test.halt-relay-type";

  private CrashPoints() {}

  /** Holds this thread forever if {@code property} names a file that no process has made yet. */
  public static void reached(String property, String what) {
    String signal = System.getProperty(property);
    if (signal == null || signal.isBlank()) {
      return;
    }
    Path file = Path.of(signal);
    try {
      // Written beside and linked into place: the link fails if another process got there first,
      // and a test that sees the file sees all of it.
      Path partial = Files.createTempFile(file.toAbsolutePath().getParent(), ".crash-point-", ".part");
      Files.writeString(partial, what + " pid " + ProcessHandle.current().pid());
      try {
        Files.createLink(file, partial);
      } catch (FileAlreadyExistsException e) {
        return;
      } finally {
        Files.delete(partial);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the outbox points apply to an event of {@code type}. */
  public static boolean outboxHolds(String type) {
    String only = System.getProperty(OUTBOX_TYPE);
    return only == null || only.isBlank() || only.equals(type);
  }
}
