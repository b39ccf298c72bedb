package io.edgeloop.launcher;

import java.io.IOException;
import java.net.ServerSocket;

/** Port blocks for tests that start the stack next to other stacks (services on base+1..base+4). */
public final class FreePorts {
  public static int block() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base;
      try (ServerSocket socket = new ServerSocket(0)) {
        base = socket.getLocalPort();
      }
      if (base + 4 < 65535 && free(base + 1) && free(base + 2) && free(base + 3) && free(base + 4)) {
        return base;
      }
    }
    throw new IOException("no block of free ports");
  }

  private static boolean free(int port) {
    try (ServerSocket ignored = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private FreePorts() {}
}
