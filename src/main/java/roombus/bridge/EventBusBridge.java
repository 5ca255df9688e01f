package roombus.bridge;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import roombus.HubConfig;
import roombus.identity.Identity;
import roombus.identity.Tokens;

/**
 * The SockJS face of the bridge: websocket, streaming and polling transports, and the raw websocket
 * at {@code /eventbus/websocket}, all carrying Vert.x bridge frames. Each socket becomes a {@link
 * BridgeConnection} of the verticle's {@link BridgeHub}.
 */
public final class EventBusBridge {

  private final Vertx vertx;
  private final HubConfig config;
  private final BridgeHub hub;
  private final SockJsSessionLocator locator;
  private final Tokens tokens;

  public EventBusBridge(Vertx vertx, HubConfig config, BridgeHub hub) {
    this.vertx = vertx;
    this.config = config;
    this.hub = hub;
    this.tokens = new Tokens(vertx, config.tokenTtl());
    this.locator = new SockJsSessionLocator(vertx, config.clusterHost() + ":" + config.httpPort());
  }

  /**
   * The handler to put in front of {@link #router()}: serves polling sessions held by other nodes.
   */
  public io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> sessionLocator() {
    return locator::handle;
  }

  /**
   * Whether a request is a poll or send of a SockJS session open on this node (it needs no web
   * session).
   */
  public boolean isOpenSession(String path) {
    return locator.isOpenHere(path);
  }

  /** The SockJS router to mount at {@code /eventbus}. */
  public Router router() {
    SockJSHandlerOptions options =
        new SockJSHandlerOptions()
            .setRegisterWriteHandler(false)
            .setLocalWriteHandler(false)
            .setInsertJSESSIONID(false)
            .setHeartbeatInterval(25_000)
            .setSessionTimeout(Math.max(5_000, config.pingTimeout().toMillis()))
            // the iframe transports load the client from the hub itself, never from a CDN
            .setLibraryURL("../vendor/sockjs/sockjs.min.js");
    return SockJSHandler.create(vertx, options).socketHandler(this::connected);
  }

  private void connected(SockJSSocket socket) {
    var session = socket.webSession();
    locator.opened(socket.uri());
    // a client without the cookie may present a token instead, as on the TCP bridge
    TokenBinding link =
        new TokenBinding(
            ClientLink.of(socket, () -> locator.closed(socket.uri())), tokens, hub.sessions());
    link.attach(hub.open(link, Identity.peek(session), session == null ? null : session.id()));
  }
}
