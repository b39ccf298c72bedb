package io.edgeloop.modelserver.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts a request as in flight from its first line until its final response is written (or its
 * connection closes), and remembers whether it began before the server started draining. Sits
 * in front of the body aggregator, so that a request whose body is still arriving counts: that is
 * what a graceful shutdown must wait for, and such a request is still served during the drain.
 * One instance per connection; requests on a connection are answered in order (HTTP/1.1).
 */
final class RequestTracker extends ChannelDuplexHandler {

  private final AtomicInteger inFlight;
  private final ModelSlot slot;
  /** Per request on this connection, oldest first: admitted (began before draining)? */
  private final ArrayDeque<Boolean> admitted = new ArrayDeque<>(2);
  /** Requests on this connection still counted in {@link #inFlight}. */
  private int open;

  RequestTracker(AtomicInteger inFlight, ModelSlot slot) {
    this.inFlight = inFlight;
    this.slot = slot;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest) {
      inFlight.incrementAndGet();
      open++;
      admitted.add(!slot.draining());
    }
    super.channelRead(ctx, msg);
  }

  /** Whether the oldest request not yet dispatched began before the drain; called once per request. */
  boolean nextAdmitted() {
    Boolean a = admitted.poll();
    return a == null || a;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    // 1xx (100 Continue) is not the answer; a request is done once its final response is written.
    if (msg instanceof HttpResponse r && r.status().code() >= 200 && open > 0) {
      open--;
      promise = promise.unvoid();
      promise.addListener(f -> inFlight.decrementAndGet());
    }
    super.write(ctx, msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    // The client went away before some answers: they are no longer in flight.
    inFlight.addAndGet(-open);
    open = 0;
    super.channelInactive(ctx);
  }
}
