package io.edgeloop.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code edgeloop} command in a process of its own, as a user runs it from a shell: the
 * repository's {@code ./edgeloop} script, on this build's classes (the script is told the classpaths,
 * so it builds nothing). {@code up} runs in the background with its console lines collected; CLI
 * calls run to their end.
 */
public final class StackProcess implements AutoCloseable {
  /** The repository's root: the launcher module's parent. */
  public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern CLIENT_JARS =
      Pattern.compile(".*/(picocli|jackson-databind|jackson-core|jackson-annotations|jackson-dataformat-yaml|snakeyaml)-[^/]*\\.jar");
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread pump;

  private StackProcess(Process process) {
    this.process = process;
    BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    pump = new Thread(() -> reader.lines().forEach(line -> {
      synchronized (lines) {
        lines.add(line);
        lines.notifyAll();
      }
    }), "edgeloop-console");
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts {@code ./edgeloop ARGS} in {@code workDir} (e.g. {@code up}), its console merged into one stream. */
  public static StackProcess start(Path workDir, String... args) throws IOException {
    return start(workDir, Map.of(), args);
  }

  /** Like {@link #start(Path, String...)}, with {@code env} added to its environment. */
  public static StackProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
    ProcessBuilder builder = builder(workDir, args).redirectErrorStream(true);
    addEnvironment(builder, env);
    return new StackProcess(builder.start());
  }

  /** Runs {@code ./edgeloop ARGS} in {@code workDir} to its end, as a user's CLI call. */
  public static Result run(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile("edgeloop-cli", ".out");
    Path err = Files.createTempFile("edgeloop-cli", ".err");
    try {
      ProcessBuilder builder = builder(workDir, args).redirectOutput(out.toFile()).redirectError(err.toFile());
      addEnvironment(builder, env);
      long started = System.nanoTime();
      Process p = builder.start();
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("edgeloop " + String.join(" ", args) + " did not end within 10 minutes");
      }
      return new Result(String.join(" ", args), p.exitValue(), Files.readString(out), Files.readString(err), (System.nanoTime() - started) / 1e9);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  public static Result run(Path workDir, String... args) throws IOException, InterruptedException {
    return run(workDir, Map.of(), args);
  }

  /**
   * Given as {@code env}, the command chooses its Java runtime as a user's does (the script's own
   * choice: JAVA_HOME unset), instead of the test's JVM.
   */
  public static final Map<String, String> USERS_JAVA = Map.of("JAVA_HOME", "");

  /** Adds {@code env}; an empty value removes the variable. */
  private static void addEnvironment(ProcessBuilder builder, Map<String, String> env) {
    env.forEach((name, value) -> {
      if (value.isEmpty()) {
        builder.environment().remove(name);
      } else {
        builder.environment().put(name, value);
      }
    });
  }

  private static ProcessBuilder builder(Path workDir, String... args) {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("edgeloop").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    Map<String, String> env = builder.environment();
    String classpath = System.getProperty("java.class.path");
    env.put("EDGELOOP_CLASSPATH", classpath);
    env.put("EDGELOOP_CLIENT_CLASSPATH", clientClasspath(classpath));
    env.put("EDGELOOP_JAVA_OPTS", "-Xmx2g");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    for (String inherited : new ArrayList<>(env.keySet())) {
      if (inherited.startsWith("EDGELOOP_") && !List.of("EDGELOOP_CLASSPATH", "EDGELOOP_CLIENT_CLASSPATH", "EDGELOOP_JAVA_OPTS").contains(inherited)) {
        env.remove(inherited); // the test's own environment must not steer the user's command
      }
    }
    return builder;
  }

  /** The thin client's classpath: the launcher's classes and the few jars the REST commands need (no Spring, no Kafka). */
  static String clientClasspath(String classpath) {
    return java.util.Arrays.stream(classpath.split(java.io.File.pathSeparator))
        .filter(entry -> entry.endsWith("launcher/target/classes") || CLIENT_JARS.matcher(entry).matches())
        .collect(Collectors.joining(java.io.File.pathSeparator));
  }

  /** The first console line matching {@code pattern}, waiting for it; fails with the last lines when it does not come or the process ends. */
  public Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (true) {
        for (String line : lines) {
          Matcher m = pattern.matcher(line);
          if (m.find()) {
            return m;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && !pump.isAlive())) {
          throw new AssertionError((process.isAlive() ? "no line matching " + pattern + " within " + timeout : "edgeloop ended (exit "
              + process.exitValue() + ") without a line matching " + pattern) + "; its console:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
        }
        lines.wait(Math.min(1000, Math.max(1, left / 1_000_000)));
      }
    }
  }

  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  public long pid() {
    return process.pid();
  }

  /** SIGTERM (Ctrl-C alike), and the exit code; the console has been read to its end. */
  public int stop(Duration timeout) throws InterruptedException {
    // Process.destroy() would also close our end of the child's output before we read it all.
    process.toHandle().destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("edgeloop did not stop within " + timeout + " after SIGTERM");
    }
    pump.join(30_000);
    return process.exitValue();
  }

  /** {@code kill -9}: nothing of the process runs its shutdown. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
  }

  /** {@code kill -9} if still running, and waits for the end (so that nothing it does races the test's cleanup). */
  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
  }

  /** A finished CLI call. */
  public record Result(String command, int exit, String out, String err, double seconds) {
    @Override
    public String toString() {
      return "edgeloop " + command + " -> exit " + exit + " in " + String.format("%.1f", seconds) + " s\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
