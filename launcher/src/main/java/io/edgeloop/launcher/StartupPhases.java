package io.edgeloop.launcher;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Where one-command mode's start-up goes, for the log file: each phase's wall time and the CPU time
 * of the thread that ran it (the services start side by side, so the process's CPU time cannot be
 * split between them), plus what the JVM spent compiling and collecting meanwhile, and the CPU time
 * of the child processes that have ended (initdb, pg_ctl). One line at ready, so that a slow start
 * can be told apart from a busy machine.
 */
final class StartupPhases {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final long began = System.nanoTime();
  private final List<String> phases = new ArrayList<>();

  interface Phase<T> {
    T run() throws IOException;
  }

  /** Runs {@code phase} on this thread and notes its wall and thread CPU time under {@code name}. */
  <T> T time(String name, Phase<T> phase) throws IOException {
    long wall = System.nanoTime();
    long cpu = threadCpu();
    T result = phase.run();
    note(name, (System.nanoTime() - wall) / 1e9, (threadCpu() - cpu) / 1e9);
    return result;
  }

  /** Like {@link #time} for a task that a pool runs. */
  <T> Callable<T> timed(String name, Phase<T> phase) {
    return () -> time(name, phase);
  }

  private synchronized void note(String name, double wallSeconds, double cpuSeconds) {
    phases.add(String.format(Locale.ROOT, "%s %.1f s (cpu %.1f s)", name, wallSeconds, cpuSeconds));
  }

  /** The phases noted so far, and the JVM's compilation, collection and child-process CPU time. */
  synchronized String summary() {
    long gcMillis = ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    var compilation = ManagementFactory.getCompilationMXBean();
    return String.format(Locale.ROOT, "start-up phases: %s; total %.1f s, process cpu %.1f s (JIT compiler threads busy %.1f s wall, summed, GC pauses %.1f s), ended child processes cpu %.1f s; Java %s",
        String.join(", ", phases), (System.nanoTime() - began) / 1e9, ProcessMemory.cpuSeconds(),
        compilation != null && compilation.isCompilationTimeMonitoringSupported() ? compilation.getTotalCompilationTime() / 1e3 : Double.NaN,
        gcMillis / 1e3, ProcessMemory.childCpuSeconds(), Runtime.version());
  }

  private static long threadCpu() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
  }
}
