package io.edgeloop.launcher.cli;

import java.io.PrintStream;

/** A one-line progress display: a spinner, the elapsed time and the current state, redrawn in place. */
public final class Progress {
  private static final char[] SPIN = {'|', '/', '-', '\\'};
  private final PrintStream out;
  private final String label;
  private final long started = System.nanoTime();
  private int tick;

  public Progress(PrintStream out, String label) {
    this.out = out;
    this.label = label;
  }

  public void update(String state) {
    out.printf("\r%c %s  %5.1f s  %-40s", SPIN[tick++ % SPIN.length], label, seconds(), state);
    out.flush();
  }

  public void done(String state) {
    out.printf("\r  %s  %5.1f s  %-40s%n", label, seconds(), state);
  }

  public double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }
}
