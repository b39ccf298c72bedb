package io.edgeloop.modelserver.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands each complete request on one connection to the {@link OipRouter} and writes its reply, in
 * request order. Small requests (a few rows) run on the connection's I/O thread, their inferences
 * together with the others that thread read at the same time ({@link InferenceBatcher}): a hand-off
 * to another thread would cost more than the inference. Requests with bodies above
 * {@code inlineMaxBytes} (batches) run on a worker, so that they do not hold up the other
 * connections this I/O thread serves, health probes among them; the connection reads nothing more
 * meanwhile, which keeps pipelined answers in order.
 */
final class OipChannelHandler extends ChannelInboundHandlerAdapter {

  private static final System.Logger LOG = System.getLogger(OipChannelHandler.class.getName());

  private final OipRouter router;
  private final RequestTracker tracker;
  private final InferenceBatcher batcher;
  private final Executor workers;
  private final int inlineMaxBytes;
  private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>(2);
  private boolean busy;

  OipChannelHandler(OipRouter router, RequestTracker tracker, InferenceBatcher batcher, Executor workers,
      int inlineMaxBytes) {
    this.router = router;
    this.tracker = tracker;
    this.batcher = batcher;
    this.workers = workers;
    this.inlineMaxBytes = inlineMaxBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    waiting.add(request);
    serveWaiting(ctx);
  }

  private void serveWaiting(ChannelHandlerContext ctx) {
    FullHttpRequest request;
    while (!busy && (request = waiting.poll()) != null) {
      boolean admitted = tracker.nextAdmitted();
      if (request.decoderResult().isFailure()) {
        Reply reply = router.refuse(null, 400, "malformed HTTP request: " + request.decoderResult().cause().getMessage());
        request.release();
        write(ctx, reply, false);
        return;
      }
      if (request.content().readableBytes() <= inlineMaxBytes) {
        serveHere(ctx, request, admitted);
      } else {
        offload(ctx, request, admitted);
      }
    }
  }

  private void serveHere(ChannelHandlerContext ctx, FullHttpRequest request, boolean admitted) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    OipRouter.Step step = router.dispatch(request.method().name(), path(request),
        ByteBufUtil.getBytes(request.content()), admitted);
    request.release();
    if (step instanceof OipRouter.Inference inference) {
      // Answered after this pass over the ready connections, with the other inferences read in it.
      busy = true;
      batcher.submit(inference, reply -> {
        busy = false;
        write(ctx, reply, keepAlive);
        serveWaiting(ctx);
      });
    } else {
      write(ctx, ((OipRouter.Answer) step).reply(), keepAlive);
    }
  }

  private void offload(ChannelHandlerContext ctx, FullHttpRequest request, boolean admitted) {
    busy = true;
    ctx.channel().config().setAutoRead(false);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    try {
      workers.execute(() -> {
        Reply reply = answer(request, admitted);
        ctx.executor().execute(() -> {
          request.release();
          busy = false;
          ctx.channel().config().setAutoRead(true);
          write(ctx, reply, keepAlive);
          serveWaiting(ctx);
        });
      });
    } catch (RejectedExecutionException e) {
      // Shutting down: the workers are gone.
      busy = false;
      write(ctx, router.refuse(path(request), 503, "the server is shutting down"), false);
      request.release();
    }
  }

  private Reply answer(FullHttpRequest request, boolean admitted) {
    return router.handle(request.method().name(), path(request), ByteBufUtil.getBytes(request.content()), admitted);
  }

  /** The request's path, percent-decoded, without the query. */
  static String path(HttpRequest request) {
    return new QueryStringDecoder(request.uri()).path();
  }

  /** The HTTP response that carries {@code reply}. */
  static FullHttpResponse response(Reply reply) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
    if (reply.contentType() != null) {
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
    }
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
    for (Map.Entry<String, String> h : reply.headers().entrySet()) {
      response.headers().set(h.getKey(), h.getValue());
    }
    return response;
  }

  private void write(ChannelHandlerContext ctx, Reply reply, boolean keepAlive) {
    FullHttpResponse response = response(reply);
    if (keepAlive) {
      ctx.writeAndFlush(response, ctx.voidPromise());
    } else {
      HttpUtil.setKeepAlive(response, false);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    waiting.forEach(FullHttpRequest::release);
    waiting.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets and broken pipes are the client's business; anything else is worth a line.
    if (!(cause instanceof IOException)) {
      LOG.log(System.Logger.Level.WARNING, "closing a connection after an error", cause);
    }
    ctx.close();
  }
}
