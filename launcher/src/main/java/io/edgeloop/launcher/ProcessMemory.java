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
