package io.edgeloop.launcher.cli;

import java.io.PrintStream;

/**
 * Progress of something that takes a while, on stderr: on a terminal one line redrawn in place (a
 * spinner, the elapsed time, the state); elsewhere (a pipe, a log) one line per change of state.
 */
public final class Progress {
  private static final char[] SPIN = {'|', '/', '-', '\\'};
  private final PrintStream out;
  private final String label;
  private final boolean terminal = System.console() != null;
  private final long started = System.nanoTime();
  private String last;
  private int tick;

  public Progress(PrintStream out, String label) {
    this.out = out;
    this.label = label;
  }

  public void update(String state) {
    if (terminal) {
      out.printf("\r%c %s  %5.1f s  %-40s", SPIN[tick++ % SPIN.length], label, seconds(), state);
      out.flush();
    } else if (!state.equals(last)) {
      out.printf("  %s  %5.1f s  %s%n", label, seconds(), state);
    }
    last = state;
  }

  public void done(String state) {
    out.printf(terminal ? "\r  %s  %5.1f s  %-40s%n" : "  %s  %5.1f s  %s%n", label, seconds(), state);
  }

  public double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }
}
