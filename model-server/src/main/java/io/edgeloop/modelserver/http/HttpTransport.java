package io.edgeloop.modelserver.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import io.edgeloop.modelserver.ModelServerAuth;
import io.edgeloop.modelserver.metrics.ServerMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP/1.1 for the {@link OipRouter} on Netty: {@code threads} I/O threads (each serves its
 * connections' small requests itself, see {@link OipChannelHandler}) and as many workers for
 * large bodies. Netty rather than the JDK's {@code com.sun.net.httpserver}: the JDK server hands
 * every request from its dispatcher thread to a worker and parses headers into maps of lists; on
 * the bench it served 16.5k single-row requests/s where this transport serves 37-44k
 * ({@code bench/model-server}).
 */
public final class HttpTransport {

  /** Bodies up to this size are answered on the I/O thread (a batch of ~100 rows of 24 floats). */
  static final int INLINE_MAX_BYTES = 64 * 1024;
  /** Keep-alive connections with nothing to say for this long are closed. */
  private static final Duration IDLE = Duration.ofMinutes(2);

  private final EventLoopGroup group;
  private final ExecutorService workers;
  private final Channel listener;

  private HttpTransport(EventLoopGroup group, ExecutorService workers, Channel listener) {
    this.group = group;
    this.workers = workers;
    this.listener = listener;
  }

  /**
   * Binds {@code host:port} and serves.
   *
   * @param inFlight counts requests from their first line to their answer
   * @param auth which requests need a bearer token
   * @throws IOException when the address cannot be bound
   */
  public static HttpTransport start(String host, int port, int threads, long maxBodyBytes, int maxBatchRows,
      OipRouter router, ModelSlot slot, ServerMetrics metrics, AtomicInteger inFlight, ModelServerAuth auth) throws IOException {
    // epoll where its native library loads (Linux x86-64 and arm64): fewer copies and system calls
    // per request than the JDK's selector.
    boolean epoll = Epoll.isAvailable();
    DefaultThreadFactory ioThreads = new DefaultThreadFactory("model-server-io");
    EventLoopGroup group = epoll ? new EpollEventLoopGroup(threads, ioThreads) : new NioEventLoopGroup(threads, ioThreads);
    ExecutorService workers = workers(threads);
    int maxContent = (int) Math.min(Integer.MAX_VALUE, maxBodyBytes);
    Map<EventLoop, InferenceBatcher> batchers = new ConcurrentHashMap<>();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            RequestTracker tracker = new RequestTracker(inFlight, slot);
            InferenceBatcher batcher = batchers.computeIfAbsent(ch.eventLoop(),
                loop -> new InferenceBatcher(loop, router, metrics, maxBatchRows));
            ch.pipeline().addLast(
                new IdleStateHandler(0, 0, IDLE.toSeconds(), TimeUnit.SECONDS),
                new HttpServerCodec(),
                tracker,
                new HttpServerKeepAliveHandler());
            if (auth.enabled()) {
              // Before the body is gathered: a request without a token costs no more than its headers.
              ch.pipeline().addLast(new BearerAuth(auth, router));
            }
            ch.pipeline().addLast(
                new BodyLimit(maxContent, router),
                new OipChannelHandler(router, tracker, batcher, workers, INLINE_MAX_BYTES),
                new CloseWhenIdle());
          }
        });
    try {
      Channel listener = bootstrap.bind(host, port).sync().channel();
      return new HttpTransport(group, workers, listener);
    } catch (Exception e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      workers.shutdownNow();
      throw e instanceof IOException io ? io : new IOException("cannot listen on " + host + ":" + port + ": " + e, e);
    }
  }

  private static ExecutorService workers(int threads) {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "model-server-worker-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Which transport serves: {@code epoll} or {@code nio}. */
  public String kind() {
    return listener instanceof EpollServerSocketChannel ? "epoll" : "nio";
  }

  /** The bound address (the real port when started on port 0). */
  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  /** Stops listening, closes every connection and ends the threads, waiting up to {@code timeout}. */
  public void stop(Duration timeout) {
    listener.close().awaitUninterruptibly();
    workers.shutdown();
    group.shutdownGracefully(0, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(timeout.toMillis() + 1000);
    try {
      workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Gathers a request's body up to the limit. A body declared larger (Content-Length) is refused
   * from the headers alone; a chunked one as soon as it passes the limit. Either way the answer is
   * the OIP error object, and the connection closes since the rest of the body stays unread.
   */
  private static final class BodyLimit extends HttpObjectAggregator {
    private final OipRouter router;
    private final long limit;

    BodyLimit(int maxContent, OipRouter router) {
      super(maxContent);
      this.router = router;
      this.limit = maxContent;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      String path = oversized instanceof HttpRequest r ? OipChannelHandler.path(r) : null;
      FullHttpResponse response = OipChannelHandler.response(
          router.refuse(path, 413, "request body exceeds the limit of " + limit + " bytes"));
      HttpUtil.setKeepAlive(response, false);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** Closes connections idle for {@link #IDLE}. */
  private static final class CloseWhenIdle extends io.netty.channel.ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof IdleStateEvent) {
        ctx.close();
      } else {
        super.userEventTriggered(ctx, evt);
      }
    }
  }
}
