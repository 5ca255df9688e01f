package roombus;

import static roombus.TestHub.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * An event-bus websocket opened with whatever {@code Cookie} header a test gives (or none), on
 * either endpoint: the raw websocket ({@code /eventbus/websocket}, one bridge frame per message) or
 * the SockJS websocket transport ({@code /eventbus/<server>/<session>/websocket}, SockJS framing as
 * {@code sockjs-client} speaks it).
 */
public final class CookieWebSocket implements AutoCloseable {

  /** Which endpoint. */
  public enum Endpoint {
    RAW,
    SOCKJS
  }

  private final WebSocketClient client;
  private final WebSocket socket;
  private final Endpoint endpoint;
  private final FrameLog log = new FrameLog("rec");

  private CookieWebSocket(WebSocketClient client, WebSocket socket, Endpoint endpoint) {
    this.client = client;
    this.socket = socket;
    this.endpoint = endpoint;
    if (endpoint == Endpoint.RAW) {
      socket.handler(buffer -> log.add(new JsonObject(buffer)));
    } else {
      socket.textMessageHandler(
          text -> {
            if (!text.startsWith("a")) return; // o (open), h (heartbeat), c (close)
            for (Object frame : new JsonArray(text.substring(1)))
              log.add(new JsonObject((String) frame));
          });
    }
  }

  /**
   * Opens {@code endpoint} on the hub at {@code base}, sending {@code cookie} as the Cookie header
   * unless null.
   */
  public static CookieWebSocket open(Vertx vertx, String base, Endpoint endpoint, String cookie) {
    URI uri = URI.create(base);
    String path =
        endpoint == Endpoint.RAW
            ? "/eventbus/websocket"
            : "/eventbus/"
                + (100 + (int) (Math.random() * 800))
                + "/"
                + UUID.randomUUID().toString().substring(0, 8)
                + "/websocket";
    WebSocketConnectOptions options =
        new WebSocketConnectOptions().setHost(uri.getHost()).setPort(uri.getPort()).setURI(path);
    if (cookie != null) options.addHeader("Cookie", cookie);
    WebSocketClient client = vertx.createWebSocketClient();
    return await(
        client.connect(options).map(ws -> new CookieWebSocket(client, ws, endpoint)),
        Duration.ofSeconds(10));
  }

  public void send(JsonObject frame) {
    String text =
        endpoint == Endpoint.RAW ? frame.encode() : new JsonArray().add(frame.encode()).encode();
    await(socket.writeTextMessage(text), Duration.ofSeconds(10));
  }

  public void register(String address, JsonObject headers) {
    JsonObject frame = new JsonObject().put("type", "register").put("address", address);
    if (headers != null) frame.put("headers", headers);
    send(frame);
  }

  /**
   * Waits until the hub handled every frame sent so far (it answers a refused register in order).
   */
  public void sync() {
    String probe = "not.allowed.sync-" + UUID.randomUUID();
    register(probe, null);
    log.awaitError(probe);
  }

  public JsonObject awaitMessage(String address, Predicate<JsonObject> matching) {
    return log.awaitMessage(address, matching);
  }

  public JsonObject awaitError(String address) {
    return log.awaitError(address);
  }

  public JsonObject awaitFrame(String what, Predicate<JsonObject> matching) {
    return log.awaitFrame(what, matching);
  }

  @Override
  public void close() {
    await(socket.close().eventually(client::close), Duration.ofSeconds(10));
  }
}
