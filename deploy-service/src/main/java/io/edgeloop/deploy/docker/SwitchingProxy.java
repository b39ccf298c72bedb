package io.edgeloop.deploy.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a target's stable inference port and forwards each TCP connection to the container that
 * serves now. {@link #switchTo} swaps the upstream atomically: connections accepted after it go to
 * the new container; connections already open stay on the old one, which finishes what it is
 * doing, until it is stopped after its drain time; then they move to the new one (see
 * {@link Tunnel}), so no request is cut in the middle or lost. With no upstream, connections are
 * closed at once.
 */
public class SwitchingProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SwitchingProxy.class);

  private final ServerSocket server;
  private final AtomicReference<InetSocketAddress> upstream = new AtomicReference<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Set<Tunnel> tunnels = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads;
  private final String name;

  /** Listens on {@code bindAddress:port} (port 0: any free port). */
  public SwitchingProxy(String name, String bindAddress, int port) throws IOException {
    this.name = name;
    this.server = new ServerSocket(port, 128, InetAddress.getByName(bindAddress));
    this.threads = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "proxy-" + name);
      thread.setDaemon(true);
      return thread;
    });
    threads.execute(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  public InetSocketAddress upstream() {
    return upstream.get();
  }

  /** New connections go to {@code next} from now on; returns the previous upstream (or null). */
  public InetSocketAddress switchTo(InetSocketAddress next) {
    InetSocketAddress previous = upstream.getAndSet(next);
    log.info("proxy {} (port {}) now forwards to {} (was {})", name, port(), next, previous);
    return previous;
  }

  /**
   * Moves every client connection still on {@code retired} away from it between two requests: a
   * busy keep-alive connection moves when the client starts its next request after an answer (an
   * HTTP/1.1 client that does not pipeline sends it only once the answer is complete), an idle
   * one when it has been quiet a little while after its last answer. Call it after a switch and
   * the drain time, before stopping the old container, so no keep-alive request reaches a server
   * that is shutting down.
   *
   * @return how many connections were still on {@code retired} at the deadline
   */
  public int release(InetSocketAddress retired, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      int left = 0;
      for (Tunnel tunnel : tunnels) {
        if (tunnel.isOn(retired) && !tunnel.moveAway()) {
          left++;
        }
      }
      if (left == 0 || System.nanoTime() > deadline) {
        return left;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return left;
      }
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        threads.execute(() -> connect(client));
      } catch (IOException e) {
        if (!server.isClosed()) {
          log.warn("proxy {}: accept failed: {}", name, e.toString());
        }
      }
    }
  }

  private void connect(Socket client) {
    try {
      client.setTcpNoDelay(true);
      open.add(client);
      Tunnel tunnel = new Tunnel(client);
      tunnels.add(tunnel);
      try {
        tunnel.run();
      } finally {
        tunnels.remove(tunnel);
      }
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  /**
   * One client connection. Its backend is the upstream that was current when the connection
   * needed one. When a retired upstream closes the backend (the old container stops), the client
   * connection is not closed: bytes of a request the old container had not answered are sent
   * again to the current upstream, and an idle keep-alive connection simply moves there with its
   * next request. So a switch fails no request, keep-alive or not. When the current upstream
   * closes a connection, the client's is closed too.
   */
  private final class Tunnel {
    /** Requests larger than this are not kept for a resend. */
    private static final int MAX_UNANSWERED = 1 << 20;
    /** A connection this long quiet after an answer is between requests. */
    private static final long QUIET_NANOS = 50_000_000L;
    private final Socket client;
    private final ByteArrayOutputStream unanswered = new ByteArrayOutputStream();
    /** Set by the backend reader when the backend sent something since the client last did. */
    private final AtomicBoolean answered = new AtomicBoolean();
    private Socket backend; // guarded by this
    private InetSocketAddress backendAddress; // guarded by this
    private volatile long lastActivity = System.nanoTime();
    private boolean moving; // guarded by this: move to the current upstream at the next request
    private boolean finished; // guarded by this
    private boolean clientDone; // guarded by this: the client sent its last byte

    Tunnel(Socket client) {
      this.client = client;
    }

    void run() throws IOException {
      synchronized (this) {
        attach();
      }
      byte[] buffer = new byte[16 * 1024];
      InputStream in = client.getInputStream();
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          lastActivity = System.nanoTime();
          synchronized (this) {
            if (finished) {
              return;
            }
            boolean nextRequest = answered.getAndSet(false);
            if (nextRequest) {
              unanswered.reset();
            }
            if (unanswered.size() + n <= MAX_UNANSWERED) {
              unanswered.write(buffer, 0, n);
            }
            if (backend != null && moving && nextRequest) {
              Socket old = backend;
              backend = null; // its reader sees that it was replaced and just ends
              backendAddress = null;
              closeQuietly(old);
            }
            if (backend == null) {
              attach(); // sends what is unanswered, including these bytes
            } else {
              try {
                backend.getOutputStream().write(buffer, 0, n);
              } catch (IOException e) {
                // the backend is gone: its reader decides whether to resend to the current upstream
              }
            }
          }
        }
        synchronized (this) {
          clientDone = true;
          if (backend != null) {
            backend.shutdownOutput();
          } else {
            finish();
          }
        }
      } catch (IOException e) {
        synchronized (this) {
          finish();
        }
      }
    }

    /** Connects to the current upstream and sends it what is still unanswered. Holds the lock. */
    private void attach() throws IOException {
      InetSocketAddress target = upstream.get();
      if (target == null) {
        finish();
        throw new IOException("no container serves yet");
      }
      Socket next = new Socket();
      try {
        next.connect(target, 5_000);
        next.setTcpNoDelay(true);
        if (!answered.get() && unanswered.size() > 0) {
          next.getOutputStream().write(unanswered.toByteArray());
        }
      } catch (IOException e) {
        closeQuietly(next);
        finish();
        throw e;
      }
      open.add(next);
      backend = next;
      backendAddress = target;
      moving = false;
      threads.execute(() -> fromBackend(next, target));
    }

    synchronized boolean isOn(InetSocketAddress address) {
      return backend != null && address.equals(backendAddress);
    }

    /**
     * Marks the connection to move at its next request, and closes the backend at once when the
     * connection is idle after an answer; true when it has left its backend.
     */
    synchronized boolean moveAway() {
      if (backend == null) {
        return true;
      }
      moving = true;
      if (!answered.get() || System.nanoTime() - lastActivity < QUIET_NANOS) {
        return false;
      }
      closeQuietly(backend); // its reader sees the end and detaches (or resends a request that raced in)
      return true;
    }

    private void fromBackend(Socket from, InetSocketAddress address) {
      byte[] buffer = new byte[16 * 1024];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = client.getOutputStream();
        for (int n; (n = in.read(buffer)) >= 0; ) {
          lastActivity = System.nanoTime();
          answered.set(true);
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // treated like the end of the backend below
      }
      synchronized (this) {
        closeQuietly(from);
        if (backend != from || finished) {
          return;
        }
        backend = null;
        backendAddress = null;
        boolean retired = !address.equals(upstream.get());
        if (!retired || clientDone) {
          finish();
        } else if (!answered.get() && unanswered.size() > 0 && unanswered.size() < MAX_UNANSWERED) {
          try {
            attach();
            log.debug("proxy {}: resent an unanswered request from retired {} to {}", name, address, upstream.get());
          } catch (IOException e) {
            finish();
          }
        }
        // else: an idle connection whose container was retired; its next request attaches anew
      }
    }

    /** Holds the lock. */
    private void finish() {
      finished = true;
      closeQuietly(client);
      if (backend != null) {
        closeQuietly(backend);
      }
    }
  }

  private void closeQuietly(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing: nothing left to do with it
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    open.forEach(this::closeQuietly);
    threads.shutdownNow();
  }
}
