package io.edgeloop.reliability;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a container's server to answer (after a start, or a start after {@link Outages#stop}). */
final class Ready {
  /** A check that throws until the server answers. */
  interface Check {
    void run() throws Exception;
  }

  private Ready() {}

  static void await(String what, Duration timeout, Check check, Supplier<String> logs) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        check.run();
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(what + " did not answer in " + timeout + "; its log:\n" + logs.get(), e);
        }
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
