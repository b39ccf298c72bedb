package io.edgeloop.launcher;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code edgeloop up}: everything in one process until Ctrl-C or SIGTERM. */
@Command(name = "up", mixinStandardHelpOptions = true, description = "Start Kafka (embedded unless --kafka) and all four services in one process.")
final class UpCommand implements Callable<Integer> {
  @Mixin StackOptions options;

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    Stack stack = Stack.start(options.settings(), System.out);
    stack.awaitHealthy(Duration.ofMinutes(3));
    long rssKb = ProcessMemory.residentKilobytes();
    System.out.printf(
        "edgeloop ready in %.1f s (rss %d MB): drop files into %s, logs in %s, Ctrl-C to stop%n",
        (System.nanoTime() - started) / 1e9, rssKb / 1024, options.dataDir.resolve("shares").resolve("turbofan").toAbsolutePath(),
        options.dataDir.resolve("logs").toAbsolutePath());
    CountDownLatch stopped = new CountDownLatch(1);
    Signals.onTermination(() -> {
      System.out.println("edgeloop stopping");
      stack.close();
      System.out.println("edgeloop stopped");
      stopped.countDown();
    });
    stopped.await();
    return 0;
  }
}
