package io.edgeloop.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Port blocks for tests that start the stack next to other stacks (services on base+1..base+4).
 * Below the kernel's ephemeral range (32768-60999 by default): a port from that range can be the
 * local end of one of the stack's own outgoing connections (Kafka, PostgreSQL, Docker) by the time
 * a service binds it, which failed a start with "Port ... was already in use".
 */
public final class FreePorts {
  private static final int LOW = 20000;
  private static final int HIGH = 32000;

  public static int block() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = LOW + 10 * ThreadLocalRandom.current().nextInt((HIGH - LOW) / 10);
      if (free(base) && free(base + 1) && free(base + 2) && free(base + 3) && free(base + 4)) {
        return base;
      }
    }
    throw new IOException("no block of free ports between " + LOW + " and " + HIGH);
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
