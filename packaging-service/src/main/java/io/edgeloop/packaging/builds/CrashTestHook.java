package io.edgeloop.packaging.builds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test hook for the crash test, off unless the system property {@value #PROPERTY} names a file:
 * then, right after an image is pushed and signed and before it is smoke-tested and announced, the
 * service writes that file and waits forever, so the test can {@code kill -9} it at exactly that point.
 */
final class CrashTestHook {
  static final String PROPERTY = "edgeloop.packaging.test.halt-after-push";

  static void afterPush(String model, int version) {
    String signal = System.getProperty(PROPERTY);
    if (signal == null || signal.isBlank()) {
      return;
    }
    try {
      Files.writeString(Path.of(signal), model + "@" + version);
      Thread.sleep(Long.MAX_VALUE);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private CrashTestHook() {}
}
