package roombus.bridge;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.util.function.BiConsumer;

/**
 * Upgrades {@code /eventbus/websocket} to the bridge's raw websocket, as SockJS's raw transport
 * would, after the router's checks (draining, origin) and its session handler have run. A request
 * that is not a websocket upgrade goes on to SockJS, which answers it as before.
 *
 * <p>The upgrade is made on the request as the HTTP server handed it in, not on vertx-web's wrapper
 * of it: the wrapper's websocket is a wrapper too, which hides the socket's channel from {@link
 * SharedWebSocketFrames}. The server's request handler ({@link #routing}) notes each request while
 * the router takes it in; the router runs its first handlers at once, before anything asynchronous,
 * so the first route ({@link #keepRequest}) finds the request there and keeps it with the routing
 * context until the upgrade. Without it (a router that changed that), the upgrade is made on the
 * wrapper, and every frame goes through Vert.x's own writes.
 *
 * <p>Confined to the event loop of its HTTP verticle, as the router is.
 */
public final class RawWebSocketUpgrade implements Handler<RoutingContext> {

  /** Where {@link #keepRequest} keeps the server's own request in the routing context. */
  private static final String OWN_REQUEST = "roombus.bridge.ownRequest";

  /** The path served, as the router sees it. */
  public static final String PATH = "/eventbus/websocket";

  private final BiConsumer<ServerWebSocket, Session> connected;

  /** The request the router is taking in right now; null between requests. */
  private HttpServerRequest arriving;

  RawWebSocketUpgrade(BiConsumer<ServerWebSocket, Session> connected) {
    this.connected = connected;
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
    request
        .toWebSocket()
        .onFailure(ctx::fail)
        .onSuccess(socket -> connected.accept(socket, session));
  }
}
