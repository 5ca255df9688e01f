package roombus.busclient;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * The hub's raw event-bus websocket, {@code /eventbus/websocket}: one bridge frame per websocket
 * message. The hub sends them as binary messages and SockJS as text; both are read the same way.
 */
public final class WebSocketTransport implements BusTransport {

  /** Whatever hangs in the handshake, the connect gives up after this long. */
  private static final long HANDSHAKE_TIMEOUT_MS = 20_000;

  private final WebSocket ws;

  private WebSocketTransport(WebSocket ws) {
    this.ws = ws;
    ws.exceptionHandler(
        err -> {}); // a broken connection also closes, and the close handler says so
    ws.shutdownHandler(
        v -> ws.close()); // when its Vert.x or client shuts down, leave at once, not after a grace
    // period
  }

  /**
   * Opens the websocket of the hub at {@code hub} on {@code client} (many transports may share one
   * client), as the session {@code sid} (its cookie; null for none).
   */
  public static Future<WebSocketTransport> connect(WebSocketClient client, HubUrl hub, String sid) {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(hub.host())
            .setPort(hub.port())
            .setSsl(hub.ssl())
            .setURI(hub.path("eventbus/websocket"));
    options.setTimeout(HANDSHAKE_TIMEOUT_MS);
    if (sid != null) options.addHeader("Cookie", HubHttp.SESSION_COOKIE + "=" + sid);
    return client.connect(options).map(WebSocketTransport::new);
  }

  @Override
  public void frameHandler(Handler<Buffer> handler) {
    ws.handler(handler);
  }

  @Override
  public void closeHandler(Handler<Void> handler) {
    ws.closeHandler(handler);
  }

  @Override
  public Future<Void> write(String frame) {
    return ws.writeTextMessage(frame);
  }

  @Override
  public boolean writeQueueFull() {
    return ws.writeQueueFull();
  }

  @Override
  public boolean isOpen() {
    return !ws.isClosed();
  }

  @Override
  public int closeCode() {
    Short code = ws.closeStatusCode();
    return code == null ? -1 : code;
  }

  @Override
  public String closeReason() {
    return ws.closeReason();
  }

  @Override
  public Future<Void> close() {
    return ws.isClosed()
        ? Future.succeededFuture()
        : ws.close().recover(err -> Future.succeededFuture());
  }
}
