package io.edgeloop.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for tests that choose a port first and let a service (or a container on the host
 * network) bind it later. Chosen below the kernel's ephemeral range (32768-60999 by default): a
 * port from that range, as {@code new ServerSocket(0)} hands out, can be the local end of one of the
 * service's own outgoing connections (Kafka, PostgreSQL, Docker) by the time the service binds it,
 * which failed starts with "Port ... was already in use" and "cannot listen on 127.0.0.1:34675".
 * No port is handed out twice in one JVM, so two services of one test never get the same one.
 * Shared through this module's test-jar.
 */
public final class FreePorts {
  private static final int LOW = 20000;
  private static final int HIGH = 32000;
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  /** One port free now. */
  public static int next() {
    return block(1);
  }

  /** The first of five consecutive free ports (a stack's services on base+1..base+4). */
  public static int block() {
    return block(5);
  }

  private static synchronized int block(int size) {
    for (int attempt = 0; attempt < 500; attempt++) {
      int base = LOW + 10 * ThreadLocalRandom.current().nextInt((HIGH - LOW) / 10);
      if (allFree(base, size)) {
        for (int port = base; port < base + size; port++) {
          HANDED_OUT.add(port);
        }
        return base;
      }
    }
    throw new UncheckedIOException(new IOException("no " + size + " free ports in a row between " + LOW + " and " + HIGH));
  }

  private static boolean allFree(int base, int size) {
    for (int port = base; port < base + size; port++) {
      if (HANDED_OUT.contains(port) || !free(port)) {
        return false;
      }
    }
    return true;
  }

  private static boolean free(int port) {
    try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private FreePorts() {}
}
