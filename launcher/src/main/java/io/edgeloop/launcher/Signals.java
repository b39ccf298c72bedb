package io.edgeloop.launcher;

import sun.misc.Signal;

/**
 * Ctrl-C and SIGTERM stop the stack in order and exit 0: a requested stop is a success, not the
 * 130/143 a JVM reports when a signal ends it through shutdown hooks.
 */
public final class Signals {
  public static void onTermination(Runnable stop) {
    Runnable once = new Runnable() {
      private boolean done;

      @Override
      public synchronized void run() {
        if (!done) {
          done = true;
          stop.run();
        }
      }
    };
    Signal.handle(new Signal("TERM"), signal -> new Thread(once, "edgeloop-stop").start());
    Signal.handle(new Signal("INT"), signal -> new Thread(once, "edgeloop-stop").start());
  }

  private Signals() {}
}
