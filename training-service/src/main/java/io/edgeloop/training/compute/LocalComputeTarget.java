package io.edgeloop.training.compute;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands on the training service's own host, as child processes ({@code sh -c}) in a session
 * of their own. A script's environment is an allow-list: the run's variables and the service's
 * variables named in {@code passEnv} (PATH, HOME, LANG by default), never the rest of the service's
 * environment (its credentials). Cancel, timeout and the end of the script kill its whole process
 * group, and every process still marked with the execution's variables; crash recovery kills what a
 * dead service's run left on this host. The data folder is passed by path ({@code EDGELOOP_DATA}); it
 * is not a read-only mount here, and the script runs as the service's user: use a {@code docker}
 * target for code you do not trust.
 */
public class LocalComputeTarget implements ComputeTarget {
  private static final Logger log = LoggerFactory.getLogger(LocalComputeTarget.class);
  private final String name;
  private final List<String> passEnv;
  private final ProcessGroups groups = new ProcessGroups();

  public LocalComputeTarget(String name, List<String> passEnv) {
    this.name = name;
    this.passEnv = List.copyOf(passEnv);
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
  public ExecutionResult execute(Execution execution, LogSink sink, Duration timeout, BooleanSupplier canceled)
      throws IOException, InterruptedException {
    if (execution.image() != null) {
      throw new IOException("compute target '" + name + "' runs on the host and cannot use image " + execution.image()
          + "; use a docker target or environment: host");
    }
    ProcessBuilder builder = new ProcessBuilder(groups.command(execution.command())).directory(execution.workspace().toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    for (String variable : passEnv) {
      String value = System.getenv(variable);
      if (value != null) {
        env.put(variable, value);
      }
    }
    env.putAll(execution.env());
    env.put("EDGELOOP_DATA", execution.dataDir().toAbsolutePath().toString());
    env.put("EDGELOOP_OUTPUTS", execution.workspace().resolve("outputs").toAbsolutePath().toString());
    env.putAll(execution.identity());
    Process process = builder.start();
    Thread out = pump(process.getInputStream(), "stdout", sink, execution.runId());
    Thread err = pump(process.getErrorStream(), "stderr", sink, execution.runId());
    long deadline = System.nanoTime() + timeout.toNanos();
    ExecutionResult.Outcome outcome = ExecutionResult.Outcome.EXITED;
    try {
      while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
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
      groups.killTree(process);
      // Background children that outlived the script (or its group, while they keep the run's variables).
      int left = groups.killTagged(execution.identity());
      if (left > 0) {
        log.info("run {}: stopped {} process(es) the script left running", execution.runId(), left);
      }
    }
    // A background child holding the pipes open is dead now, so the pumps end.
    out.join(5000);
    err.join(5000);
    return new ExecutionResult(outcome, process.exitValue(), "host:" + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
  }

  /** Kills every process on this host that a run started (its own session and its children), after a crash of its service. */
  @Override
  public void cleanUp(String runId) {
    int killed = groups.killTagged(Map.of("EDGELOOP_RUN_ID", runId));
    if (killed > 0) {
      log.warn("run {}: stopped {} process(es) left on this host by the service that ran it before", runId, killed);
    }
  }

  private static Thread pump(InputStream stream, String name, LogSink sink, String runId) {
    Thread t = new Thread(() -> {
      LineAssembler lines = new LineAssembler(name, sink, LineAssembler.MAX_CHARS);
      try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
        char[] buffer = new char[8192];
        for (int n; (n = reader.read(buffer)) >= 0; ) {
          lines.append(buffer, 0, n);
        }
      } catch (IOException ignored) {
        // the process was killed: its pipe closes
      }
      lines.finish();
    }, "run-" + runId + "-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
