package io.edgeloop.training.compute;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process sessions for scripts on this host (Linux): a script starts in a session and process group of
 * its own ({@code setsid}), so that killing the group stops its children too; and processes a run left
 * behind (a crashed service's orphans, a daemon that left the group) are found by the run's variables
 * in {@code /proc/<pid>/environ}. Java has no call to signal a process group, hence the {@code kill}
 * command. Where {@code setsid} or {@code /proc} is missing (not Linux), scripts run as plain children and
 * only their descendants are killed.
 */
final class ProcessGroups {
  private static final Logger log = LoggerFactory.getLogger(ProcessGroups.class);
  private static final Path PROC = Path.of("/proc");
  private final boolean available;

  ProcessGroups() {
    this.available = Files.isDirectory(PROC.resolve("self")) && onPath("setsid") && onPath("kill");
    if (!available) {
      log.warn("setsid, kill or /proc is missing: local scripts run as plain child processes, and a child that leaves"
          + " the script's process tree is not stopped with it");
    }
  }

  /** The command that runs {@code shellCommand} in a session of its own. */
  List<String> command(String shellCommand) {
    List<String> command = new ArrayList<>();
    if (available) {
      // Without --fork, setsid execs in place (the child of the JVM is never a group leader): the pid we get leads the session.
      command.add("setsid");
    }
    command.addAll(List.of("sh", "-c", shellCommand));
    return command;
  }

  /**
   * Kills a live {@code process}, its process group and its descendants (SIGKILL), and waits for it.
   * Only while the process lives (it is not reaped yet) is its pid sure to still name its group.
   */
  void killTree(Process process) throws InterruptedException {
    if (process.isAlive()) {
      List<ProcessHandle> descendants = process.descendants().toList();
      if (available) {
        processGroup(process.pid()).filter(this::notOurs).ifPresent(this::killGroup);
      }
      descendants.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    process.waitFor();
  }

  /**
   * Kills every process on this host whose environment holds all of {@code variables} (and the groups
   * they lead or belong to); returns how many processes matched.
   */
  int killTagged(Map<String, String> variables) {
    if (!available) {
      return 0;
    }
    Set<Long> groups = new TreeSet<>();
    List<Long> pids = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path entry : entries) {
        long pid = Long.parseLong(entry.getFileName().toString());
        if (pid != self && hasAll(entry.resolve("environ"), variables)) {
          pids.add(pid);
          processGroup(pid).filter(this::notOurs).ifPresent(groups::add);
        }
      }
    } catch (IOException e) {
      log.warn("cannot list /proc to find the processes of {}: {}", variables, e.toString());
      return 0;
    }
    groups.forEach(this::killGroup);
    pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    return pids.size();
  }

  private boolean notOurs(long group) {
    return processGroup(ProcessHandle.current().pid()).map(own -> own != group).orElse(false);
  }

  /** Field 5 of {@code /proc/<pid>/stat}, read after the command name, which may hold spaces and parentheses. */
  private static Optional<Long> processGroup(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(Long.parseLong(fields[2]));
    } catch (IOException | RuntimeException gone) {
      return Optional.empty();
    }
  }

  private static boolean hasAll(Path environ, Map<String, String> variables) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(environ);
    } catch (IOException notReadable) {
      return false; // gone meanwhile, or another user's process: not ours to stop
    }
    List<String> entries = List.of(new String(bytes, StandardCharsets.UTF_8).split("\0"));
    return variables.entrySet().stream().allMatch(v -> entries.contains(v.getKey() + "=" + v.getValue()));
  }

  private void killGroup(long group) {
    try {
      Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + group).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
      }
    } catch (IOException e) {
      log.warn("cannot kill process group {}: {}", group, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null && List.of(path.split(java.io.File.pathSeparator)).stream()
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
  }
}
