package io.edgeloop.launcher;

import io.edgeloop.launcher.edge.EdgeEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code edgeloop up}: everything in one process until Ctrl-C or SIGTERM. */
@Command(name = "up", mixinStandardHelpOptions = true, description = io.edgeloop.launcher.cli.ClientMain.UP)
final class UpCommand implements Callable<Integer> {

  @Mixin StackOptions options;

  /**
   * For the {@code ./edgeloop} script's training run after a build, which records the classes a
   * start loads into the class data sharing archive: stop as soon as the stack is ready.
   */
  @Option(names = "--exit-when-ready", hidden = true)
  boolean exitWhenReady;

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    EdgeEnvironment edge = EdgeEnvironment.detect(options.dataDir);
    Stack stack;
    try {
      stack = Stack.start(options.settings(edge.serviceProperties(options.edgePort)), System.out);
    } catch (Exception e) {
      edge.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Signals.onTermination(() -> {
      System.out.println("edgeloop stopping");
      stack.close();
      edge.close();
      System.out.println("edgeloop stopped");
      stopped.countDown();
    });
    stack.awaitHealthy(Duration.ofMinutes(3));
    String target = stack.edgeTargetUrl();
    System.out.printf("%-18s %s%n", "edge target", target != null ? target + ", " + edge.describe() : edge.describe());
    Path token = stack.tokenFile();
    System.out.printf("%-18s %s: the CLI run from here uses it; elsewhere export EDGELOOP_TOKEN=$(cat %s)%n", "admin token", token, token);
    System.out.printf(
        "edgeloop ready in %.1f s (rss %d MB, cpu %.1f s): drop C-MAPSS files into %s, watch with ./edgeloop events tail, logs in %s, Ctrl-C to stop%n",
        (System.nanoTime() - started) / 1e9, ProcessMemory.residentKilobytes() / 1024, ProcessMemory.cpuSeconds(),
        options.dataDir.resolve("shares").resolve("turbofan").toAbsolutePath(), stack.logFile());
    if (exitWhenReady) {
      stack.close();
      edge.close();
      return 0;
    }
    stopped.await();
    return 0;
  }
}
