package io.edgeloop.modelserver.http;

import io.edgeloop.modelserver.ModelServerAuth;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Refuses, from its headers alone, a request that needs a token and carries no accepted one: 401
 * with {@code WWW-Authenticate: Bearer} and the OIP error object, counted like any other answer.
 * The body is not read; the connection closes after the answer.
 */
final class BearerAuth extends ChannelInboundHandlerAdapter {
  private final ModelServerAuth auth;
  private final OipRouter router;
  /** The rest of a refused request's body, dropped as it arrives until the connection closes. */
  private boolean refused;

  BearerAuth(ModelServerAuth auth, OipRouter router) {
    this.auth = auth;
    this.router = router;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request && !refused) {
      String path = OipChannelHandler.path(request);
      if (auth.requiresToken(OipRouter.endpointOf(path)) && !auth.accepts(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
        refused = true;
        ReferenceCountUtil.release(msg);
        FullHttpResponse response = OipChannelHandler.response(router.refuse(path, 401, "this endpoint needs a bearer token")
            .withHeader("WWW-Authenticate", "Bearer realm=\"edgeloop-model-server\""));
        HttpUtil.setKeepAlive(response, false);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        return;
      }
    }
    if (refused && (msg instanceof HttpContent || msg instanceof HttpRequest)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }
}
