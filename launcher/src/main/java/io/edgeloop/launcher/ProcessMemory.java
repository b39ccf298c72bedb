package io.edgeloop.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this process uses: its resident set size (from /proc; 0 where there is none) and its CPU time. */
final class ProcessMemory {
  /** CPU time this process used so far (all threads), in seconds; a work-based measure of start-up. */
  static double cpuSeconds() {
    return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(0.0);
  }

  /**
   * CPU time of the child processes this process has waited for (cutime + cstime of
   * {@code /proc/self/stat}: initdb, pg_ctl, jlink once ended), in seconds; 0 where there is no /proc.
   */
  static double childCpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after the command: state(0) ... utime(11) stime(12) cutime(13) cstime(14), in clock ticks (100 per second on Linux)
      return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static long residentKilobytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D+", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  private ProcessMemory() {}
}
