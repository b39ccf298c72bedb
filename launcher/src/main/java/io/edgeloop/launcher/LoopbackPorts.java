package io.edgeloop.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free loopback ports for the parts of one stack that start side by side. The kernel hands out
 * neighbouring ports for consecutive requests, and the services bind theirs only once started: a
 * port chosen for the database or the broker while a service is still starting could be that
 * service's. So every port this stack means to use is kept here, and none is handed out twice.
 */
final class LoopbackPorts {
  private final Set<Integer> taken = new HashSet<>();

  LoopbackPorts(Set<Integer> planned) {
    taken.addAll(planned);
  }

  /** A port free now, and none that this stack has planned or handed out before. */
  synchronized int free() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      if (taken.add(port)) {
        return port;
      }
    }
    throw new IOException("no free loopback port outside " + taken);
  }

  /** Marks {@code port} as this stack's. */
  synchronized void take(int port) {
    taken.add(port);
  }
}
