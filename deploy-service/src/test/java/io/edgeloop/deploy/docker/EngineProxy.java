package io.edgeloop.deploy.docker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A second Docker engine endpoint the test controls: a TCP port on loopback forwarding to the
 * shared engine's unix socket (or, {@link #tcp}, to another loopback service such as the registry). {@link #goAway()} closes the port and every connection through it
 * (the engine "stops" for the target that uses this endpoint) and {@link #comeBack()} opens it
 * again on the same port; {@link #pause()} keeps connections open but forwards nothing until
 * {@link #resume()} (the engine hangs). The shared engine itself is never touched.
 */
public final class EngineProxy implements AutoCloseable {
  private final SocketAddress upstream;
  private final int port;
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocketChannel server;
  private volatile boolean paused;

  public EngineProxy(Path socket) throws IOException {
    this(UnixDomainSocketAddress.of(socket));
  }

  private EngineProxy(SocketAddress upstream) throws IOException {
    this.upstream = upstream;
    this.server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.port = ((InetSocketAddress) server.getLocalAddress()).getPort();
    accept(server);
  }

  /** A proxy to {@code 127.0.0.1:upstreamPort} (a registry the test takes away). */
  public static EngineProxy tcp(int upstreamPort) throws IOException {
    return new EngineProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort));
  }

  public String host() {
    return "tcp://" + address();
  }

  /** {@code 127.0.0.1:<port>}, as a registry name in an image reference. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  public synchronized void goAway() throws IOException {
    server.close();
    open.forEach(EngineProxy::closeQuietly);
    open.clear();
  }

  /** Calls through this endpoint hang (nothing is forwarded either way) until {@link #resume()}. */
  public void pause() {
    paused = true;
  }

  public void resume() {
    paused = false;
  }

  public synchronized void comeBack() throws IOException {
    server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    accept(server);
  }

  private void accept(ServerSocketChannel listening) {
    Thread thread = new Thread(() -> {
      while (listening.isOpen()) {
        try {
          SocketChannel client = listening.accept();
          SocketChannel engine = SocketChannel.open(upstream);
          open.add(client);
          open.add(engine);
          pump(client, engine);
          pump(engine, client);
        } catch (IOException e) {
          // closed by goAway(), or the engine refused: the client sees its connection drop
        }
      }
    }, "engine-proxy-accept");
    thread.setDaemon(true);
    thread.start();
  }

  private void pump(SocketChannel from, SocketChannel to) {
    Thread thread = new Thread(() -> {
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      try {
        while (from.read(buffer) >= 0) {
          while (paused && from.isOpen()) {
            Thread.sleep(20);
          }
          buffer.flip();
          while (buffer.hasRemaining()) {
            to.write(buffer);
          }
          buffer.clear();
        }
        to.shutdownOutput();
      } catch (IOException e) {
        closeQuietly(from);
        closeQuietly(to);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "engine-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() throws IOException {
    goAway();
  }
}
