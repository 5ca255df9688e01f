package roombus.bridge;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.util.function.BiConsumer;

/**
 * Upgrades {@code /eventbus/websocket} to the bridge's raw websocket, as SockJS's raw transport
 * would, after the router's checks (draining, origin) and its session handler have run. A request
 * that is not a websocket upgrade goes on to SockJS, which answers it as before.
 *
 * <p>Vert.x makes the upgrade; the socket's channel is then taken over by a {@link
 * ChannelWebSocketLink}, which leaves Vert.x's websocket behind. The channel comes from {@link
 * WebSocketInternal#channelHandlerContext()}, Vert.x's interface for its own modules (vertx-web
 * uses it), not its public API: a Vert.x upgrade that changes it leaves the socket to Vert.x
 * ({@link RawWebSocketLink}), with the same frames. The upgrade is made on the request as the HTTP
 * server handed it in, not on vertx-web's wrapper of it: the wrapper's websocket is a wrapper too,
 * which hides the channel. The server's request handler ({@link #routing}) notes each request while
 * the router takes it in; the router runs its first handlers at once, before anything asynchronous,
 * so the first route ({@link #keepRequest}) finds the request there and keeps it with the routing
 * context until the upgrade. Without it (a router that changed that), the upgrade is made on the
 * wrapper, and the socket stays with Vert.x.
 *
 * <p>Confined to the event loop of its HTTP verticle, as the router is.
 */
public final class RawWebSocketUpgrade implements Handler<RoutingContext> {

  /** Where {@link #keepRequest} keeps the server's own request in the routing context. */
  private static final String OWN_REQUEST = "roombus.bridge.ownRequest";

  /** The path served, as the router sees it. */
  public static final String PATH = "/eventbus/websocket";

  private final BiConsumer<ClientLink, Session> connected;
  private final int maxMessageSize;

  /** The request the router is taking in right now; null between requests. */
  private HttpServerRequest arriving;

  RawWebSocketUpgrade(BiConsumer<ClientLink, Session> connected, int maxMessageSize) {
    this.connected = connected;
    this.maxMessageSize = maxMessageSize;
  }

  /** The HTTP server's request handler: {@code router}, with each request noted as it goes in. */
  public Handler<HttpServerRequest> routing(Router router) {
    return request -> {
      arriving = request;
      try {
        router.handle(request);
      } finally {
        arriving = null;
      }
    };
  }

  /** The router's first handler on {@link #PATH}: keeps the server's own request. */
  public void keepRequest(RoutingContext ctx) {
    if (arriving != null) ctx.put(OWN_REQUEST, arriving);
    ctx.next();
  }

  /** The upgrade, on {@link #PATH} once the session is known. */
  @Override
  public void handle(RoutingContext ctx) {
    if (!ctx.request().canUpgradeToWebSocket()) {
      ctx.next();
      return;
    }
    HttpServerRequest own = ctx.get(OWN_REQUEST);
    HttpServerRequest request = own != null ? own : ctx.request();
    Session session = ctx.session();
    ContextInternal context = (ContextInternal) Vertx.currentContext();
    request
        .toWebSocket()
        .onFailure(ctx::fail)
        .onSuccess(socket -> connected.accept(link(socket, context), session));
  }

  /**
   * The socket's channel taken over by a {@link ChannelWebSocketLink}; Vert.x's socket itself
   * ({@link RawWebSocketLink}) when Vert.x does not show the channel.
   */
  private ClientLink link(ServerWebSocket socket, ContextInternal context) {
    ChannelHandlerContext channel =
        socket instanceof WebSocketInternal internal ? internal.channelHandlerContext() : null;
    if (channel == null || !channel.executor().inEventLoop()) return new RawWebSocketLink(socket);
    return ChannelWebSocketLink.takeOver(channel, context, maxMessageSize);
  }
}
