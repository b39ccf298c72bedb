package io.edgeloop.training.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real scripts on this host: the environment a script gets, and that cancel, timeout, the script's
 * end and crash recovery leave none of its processes (children in the background included).
 */
class LocalComputeTargetTest {
  /** Set for the test JVM by the pom: a credential in the service's own environment. */
  static final String SERVICE_CREDENTIAL = "EDGELOOP_TEST_SERVICE_CREDENTIAL";
  @TempDir Path workspace;
  @TempDir Path data;
  private final LocalComputeTarget target = new LocalComputeTarget("local", List.of("PATH", "HOME", "LANG"));
  private final List<String> lines = new CopyOnWriteArrayList<>();
  /** A sleep duration no other process on this machine uses: it names the test's background child. */
  private final String marker = "3" + ThreadLocalRandom.current().nextInt(10_000_000, 99_999_999);

  @AfterEach
  void noStrays() {
    processesWith(marker).forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  void shouldGiveTheScriptItsOwnVariablesButNotTheServicesEnvironment() throws Exception {
    String credential = System.getenv(SERVICE_CREDENTIAL);
    assertThat(credential).as("the pom sets " + SERVICE_CREDENTIAL + " for the test JVM").isNotBlank();

    ExecutionResult result = target.execute(execution("env", Map.of("EPOCHS", "5")), (s, l) -> lines.add(l), Duration.ofSeconds(30), () -> false);

    assertThat(result.exitCode()).isZero();
    assertThat(lines).noneMatch(l -> l.contains(credential)).noneMatch(l -> l.startsWith(SERVICE_CREDENTIAL + "="));
    assertThat(lines).contains("EPOCHS=5", "EDGELOOP_RUN_ID=run-1", "EDGELOOP_ATTEMPT=1", "PATH=" + System.getenv("PATH"),
        "EDGELOOP_DATA=" + data.toAbsolutePath(), "EDGELOOP_OUTPUTS=" + workspace.resolve("outputs").toAbsolutePath());
    assertThat(lines).allMatch(l -> l.matches("(PATH|HOME|LANG|PWD|SHLVL|_|OLDPWD|EPOCHS|EDGELOOP_[A-Z_]+)=.*"));
  }

  @Test
  void shouldRunTheScriptInASessionOfItsOwn() throws Exception {
    target.execute(execution("ps -o sid= -p $$; ps -o pgid= -p $$; echo $$", Map.of()), (s, l) -> lines.add(l.trim()), Duration.ofSeconds(30), () -> false);

    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).as("session id = the script's pid").isEqualTo(lines.get(2));
    assertThat(lines.get(1)).as("process group id = the script's pid").isEqualTo(lines.get(2));
  }

  @Test
  void shouldKillBackgroundChildrenWhenARunIsCanceled() throws Exception {
    AtomicBoolean cancel = new AtomicBoolean();
    Thread canceler = new Thread(() -> {
      await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("started"));
      cancel.set(true);
    });
    canceler.start();

    ExecutionResult result = target.execute(execution("sleep " + marker + " & echo started; sleep 600", Map.of()), (s, l) -> lines.add(l),
        Duration.ofSeconds(60), cancel::get);
    canceler.join();

    assertThat(result.outcome()).isEqualTo(ExecutionResult.Outcome.CANCELED);
    assertThat(processesWith(marker)).isEmpty();
  }

  @Test
  void shouldKillBackgroundChildrenWhenARunTimesOut() throws Exception {
    ExecutionResult result = target.execute(execution("sleep " + marker + " & echo started; sleep 600", Map.of()), (s, l) -> lines.add(l),
        Duration.ofSeconds(2), () -> false);

    assertThat(result.outcome()).isEqualTo(ExecutionResult.Outcome.TIMED_OUT);
    assertThat(lines).contains("started");
    assertThat(processesWith(marker)).isEmpty();
  }

  @Test
  void shouldKillWhatAScriptLeftRunningWhenItExits() throws Exception {
    // The child leaves the script's process group too (a new session): only the run's variables find it.
    ExecutionResult result = target.execute(execution("setsid sleep " + marker + " > /dev/null 2>&1 & echo started", Map.of()),
        (s, l) -> lines.add(l), Duration.ofSeconds(30), () -> false);

    assertThat(result.exitCode()).isZero();
    assertThat(processesWith(marker)).isEmpty();
  }

  @Test
  void shouldKillTheProcessesOfACrashedServicesRunOnCleanUp() throws Exception {
    String other = "3" + ThreadLocalRandom.current().nextInt(10_000_000, 99_999_999);
    Process orphan = orphan("run-crashed", marker);
    Process unrelated = orphan("run-alive", other);
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> !processesWith(marker).isEmpty() && !processesWith(other).isEmpty());

      target.cleanUp("run-crashed");

      await().atMost(Duration.ofSeconds(10)).until(() -> processesWith(marker).isEmpty());
      assertThat(processesWith(other)).as("another run's processes stay").isNotEmpty();
    } finally {
      processesWith(other).forEach(ProcessHandle::destroyForcibly);
      orphan.destroyForcibly();
      unrelated.destroyForcibly();
    }
  }

  @Test
  void shouldCutALineWithoutEndAtItsLimit() throws Exception {
    target.execute(execution("head -c 200000 /dev/zero | tr '\\0' x; echo; echo next", Map.of()), (s, l) -> lines.add(l),
        Duration.ofSeconds(30), () -> false);

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("x".repeat(LineAssembler.MAX_CHARS)).endsWith("[line cut: " + (200_000 - LineAssembler.MAX_CHARS) + " more characters]");
    assertThat(lines.get(1)).isEqualTo("next");
  }

  /** A script session a dead service left behind: its own session, marked with the run's variables. */
  private Process orphan(String runId, String seconds) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("setsid", "sh", "-c", "sleep " + seconds + "; true").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("EDGELOOP_RUN_ID", runId);
    return builder.start();
  }

  private Execution execution(String command, Map<String, String> env) throws Exception {
    Files.createDirectories(workspace.resolve("outputs"));
    return new Execution("run-1", 1, command, workspace, data, null, env);
  }

  static List<ProcessHandle> processesWith(String argument) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(argument)).orElse(false))
        .toList();
  }
}
