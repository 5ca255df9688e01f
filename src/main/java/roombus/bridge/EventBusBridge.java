package roombus.bridge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import roombus.HubConfig;
import roombus.identity.Identity;
import roombus.identity.Tokens;

/**
 * The SockJS face of the bridge: websocket, streaming and polling transports, and the raw websocket
 * at {@code /eventbus/websocket}, all carrying Vert.x bridge frames. Each socket becomes a {@link
 * BridgeConnection} of the verticle's {@link BridgeHub}.
 */
public final class EventBusBridge {

  /**
   * The largest websocket frame and message, either way (the HTTP server's options): a bridge frame
   * is a chat line, a notice or a list, far below it.
   */
  public static final int MAX_WEBSOCKET_FRAME = 64 * 1024;

  private final Vertx vertx;
  private final HubConfig config;
  private final BridgeHub hub;
  private final SockJsSessionLocator locator;
  private final Tokens tokens;
  private final RawWebSocketUpgrade rawWebSocket;

  public EventBusBridge(Vertx vertx, HubConfig config, BridgeHub hub) {
    this.vertx = vertx;
    this.config = config;
    this.hub = hub;
    this.tokens = new Tokens(vertx, config.tokenTtl());
    this.locator = new SockJsSessionLocator(vertx, config.clusterHost() + ":" + config.httpPort());
    this.rawWebSocket = new RawWebSocketUpgrade(this::connected, MAX_WEBSOCKET_FRAME);
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

  /**
   * The handler to put in front of {@link #router()}, after the body handler: a client's mistakes
   * are answered 400, never 500 (a 500 says the hub failed, and is logged as such).
   *
   * <ul>
   *   <li>The SockJS protocol answers them with 500: broken JSON in an {@code xhr_send} or {@code
   *       jsonp_send}, a missing or bad {@code callback} of {@code jsonp} or {@code htmlfile}, a
   *       {@code jsonp_send} of another content type, an empty payload. The same answer, with 400.
   *       A 500 with a failure behind it is left alone.
   *   <li>A send whose content type names a charset Java does not know ({@code charset=é}): the
   *       body cannot be read as text. 400 {@code Unknown charset.}
   *   <li>A send whose messages are not all text ({@code [null]}, {@code [{}]}): vertx-web hands
   *       each such message on as null and fails on it with a NullPointerException, on the
   *       session's event loop. Answered as broken JSON.
   * </ul>
   */
  public static void clientMistakes(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String path = request.path();
    if (request.method() == HttpMethod.POST
        && (path.endsWith("/xhr_send") || path.endsWith("/jsonp_send"))) {
      String refusal;
      try {
        refusal = everyMessageText(sentMessages(ctx)) ? null : "Broken JSON encoding.";
      } catch (IllegalArgumentException unknownCharset) {
        refusal = "Unknown charset."; // SockJS would fail on it reading the body as text
      }
      if (refusal != null) {
        ctx.response()
            .setStatusCode(400)
            .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=UTF-8")
            .end(refusal);
        return;
      }
    }
    ctx.addHeadersEndHandler(
        v -> {
          if (ctx.response().getStatusCode() == 500 && ctx.failure() == null)
            ctx.response().setStatusCode(400);
        });
    ctx.next();
  }

  /** The messages of a send as SockJS reads them; null when it finds none to read. */
  private static String sentMessages(RoutingContext ctx) {
    String body = ctx.body().asString();
    if (body == null || !ctx.request().path().endsWith("/jsonp_send")) return body;
    if (!"application/x-www-form-urlencoded"
        .equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) return body;
    if (!body.startsWith("d=")) return null;
    try {
      return URLDecoder.decode(body.substring(2), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException undecodable) {
      return "[null]"; // not a send anyone could read
    }
  }

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * Whether SockJS would hand on every message of a send as text: it reads a JSON array token by
   * token and takes each token's text, which is null for a null, an array or an object. (A send
   * that is not JSON at all, SockJS refuses itself.)
   */
  private static boolean everyMessageText(String messages) {
    if (messages == null) return true;
    try (JsonParser parser = JSON.createParser(messages)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) return true;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (parser.getValueAsString() == null) return false;
      }
      return true;
    } catch (IOException broken) {
      return true;
    }
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

  /**
   * The raw websocket at {@code /eventbus/websocket}, served by the bridge rather than by SockJS's
   * raw transport ({@link RawWebSocketUpgrade}).
   */
  public RawWebSocketUpgrade rawWebSocket() {
    return rawWebSocket;
  }

  private void connected(SockJSSocket socket) {
    locator.opened(socket.uri());
    connected(ClientLink.of(socket, () -> locator.closed(socket.uri())), socket.webSession());
  }

  private void connected(ClientLink client, Session session) {
    // a client without the cookie may present a token instead, as on the TCP bridge
    TokenBinding link = new TokenBinding(client, tokens, hub.sessions());
    link.attach(hub.open(link, Identity.peek(session), session == null ? null : session.id()));
  }
}
