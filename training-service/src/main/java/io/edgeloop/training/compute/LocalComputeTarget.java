package io.edgeloop.training.compute;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Runs commands on the training service's own host, as child processes ({@code sh -c}). The data
 * folder is passed by path ({@code EDGELOOP_DATA}); it is not a read-only mount here, so a script
 * running as a privileged user could change its copy (never the stored dataset).
 */
public class LocalComputeTarget implements ComputeTarget {
  private final String name;

  public LocalComputeTarget(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return "local";
  }

  @Override
  public ExecutionResult execute(Execution execution, LogSink log, Duration timeout, BooleanSupplier canceled)
      throws IOException, InterruptedException {
    if (execution.image() != null) {
      throw new IOException("compute target '" + name + "' runs on the host and cannot use image " + execution.image()
          + "; use a docker target or environment: host");
    }
    ProcessBuilder builder = new ProcessBuilder("sh", "-c", execution.command()).directory(execution.workspace().toFile());
    builder.environment().putAll(execution.env());
    builder.environment().put("EDGELOOP_DATA", execution.dataDir().toAbsolutePath().toString());
    builder.environment().put("EDGELOOP_OUTPUTS", execution.workspace().resolve("outputs").toAbsolutePath().toString());
    Process process = builder.start();
    Thread out = pump(process.getInputStream(), "stdout", log, execution.runId());
    Thread err = pump(process.getErrorStream(), "stderr", log, execution.runId());
    long deadline = System.nanoTime() + timeout.toNanos();
    ExecutionResult.Outcome outcome = ExecutionResult.Outcome.EXITED;
    try {
      while (!process.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        if (canceled.getAsBoolean()) {
          outcome = ExecutionResult.Outcome.CANCELED;
          break;
        }
        if (System.nanoTime() > deadline) {
          outcome = ExecutionResult.Outcome.TIMED_OUT;
          break;
        }
      }
    } finally {
      if (process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor();
      }
    }
    out.join(5000);
    err.join(5000);
    return new ExecutionResult(outcome, process.exitValue(), "host:" + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
  }

  private static Thread pump(InputStream stream, String name, LogSink log, String runId) {
    Thread t = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line; (line = reader.readLine()) != null; ) {
          log.line(name, line);
        }
      } catch (IOException ignored) {
        // the process was killed: its pipe closes
      }
    }, "run-" + runId + "-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
