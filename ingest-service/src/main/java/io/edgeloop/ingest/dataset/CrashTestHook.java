package io.edgeloop.ingest.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test hook for the crash-safety test, off unless the system property {@value #PROPERTY} names a
 * file: then, right after a version is stored and before it is announced, the service writes that
 * file and waits forever, so the test can {@code kill -9} it at exactly that point.
 */
final class CrashTestHook {
  static final String PROPERTY = "edgeloop.ingest.test.halt-after-store";

  static void afterStored(String dataset, long version) {
    String signal = System.getProperty(PROPERTY);
    if (signal == null || signal.isBlank()) {
      return;
    }
    try {
      Files.writeString(Path.of(signal), dataset + "@" + version);
      Thread.sleep(Long.MAX_VALUE);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private CrashTestHook() {}
}
