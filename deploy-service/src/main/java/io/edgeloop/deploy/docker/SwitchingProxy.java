package io.edgeloop.deploy.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a target's stable inference port and forwards each TCP connection to the container that
 * serves now. {@link #switchTo} swaps the upstream atomically: connections accepted after it go to
 * the new container, connections already open stay on the old one until they close (or the old
 * container is stopped after its drain time), so no request is cut in the middle. With no
 * upstream yet, connections are closed at once.
 */
public class SwitchingProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SwitchingProxy.class);

  private final ServerSocket server;
  private final AtomicReference<InetSocketAddress> upstream = new AtomicReference<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
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
    InetSocketAddress target = upstream.get();
    Socket backend = new Socket();
    try {
      if (target == null) {
        throw new IOException("no container serves yet");
      }
      backend.connect(target, 5_000);
      client.setTcpNoDelay(true);
      backend.setTcpNoDelay(true);
    } catch (IOException e) {
      log.debug("proxy {}: cannot reach {}: {}", name, target, e.toString());
      closeQuietly(client);
      closeQuietly(backend);
      return;
    }
    open.add(client);
    open.add(backend);
    java.util.concurrent.atomic.AtomicInteger directions = new java.util.concurrent.atomic.AtomicInteger(2);
    Runnable done = () -> {
      if (directions.decrementAndGet() == 0) {
        closeQuietly(client);
        closeQuietly(backend);
      }
    };
    threads.execute(() -> pump(backend, client, done));
    pump(client, backend, done);
  }

  /** Copies one direction; at its end, half-closes the other side so the peer sees the end too. */
  private void pump(Socket from, Socket to, Runnable done) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // one side broke: the whole connection is over
      closeQuietly(from);
      closeQuietly(to);
    } finally {
      done.run();
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
