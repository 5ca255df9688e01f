package roombus.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

/**
 * The client's end of the event-bus bridge: bridge frames (JSON objects) both ways, over the raw
 * websocket {@code /eventbus/websocket} with the session cookie, or over the TCP bridge (4-byte length,
 * then the JSON), where the caller puts its token in the frames' headers.
 */
interface BusLink {

  void send(JsonObject frame);

  /** Called with each frame from the hub; a frame that is not a JSON object comes as {@code {"type":"unparsable"}}. */
  void frameHandler(Handler<JsonObject> handler);

  /** Called once when the connection is gone, whoever closed it. */
  void closeHandler(Handler<Void> handler);

  Future<Void> close();

  /** The raw event-bus websocket of the hub at {@code options.url()}, as the session {@code sid}. */
  static Future<BusLink> websocket(Vertx vertx, ClientOptions options, String sid) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setSsl(options.ssl()).setConnectTimeout(10_000).setMaxFrameSize(1024 * 1024).setMaxMessageSize(4 * 1024 * 1024));
    WebSocketConnectOptions connect = new WebSocketConnectOptions()
        .setHost(options.host()).setPort(options.httpPort()).setSsl(options.ssl())
        .setURI(options.path("eventbus/websocket"))
        .addHeader("Cookie", "roombus.sid=" + sid);
    return client.connect(connect).map(ws -> new BusLink() {
      @Override
      public void send(JsonObject frame) {
        ws.writeTextMessage(frame.encode());
      }

      @Override
      public void frameHandler(Handler<JsonObject> handler) {
        ws.handler(data -> handler.handle(parse(data))); // the hub sends binary messages; text would do too
      }

      @Override
      public void closeHandler(Handler<Void> handler) {
        ws.closeHandler(handler);
      }

      @Override
      public Future<Void> close() {
        return closing(ws).eventually(client::close);
      }
    });
  }

  /** The TCP bridge on {@code port} of the hub's host. */
  static Future<BusLink> tcp(Vertx vertx, ClientOptions options) {
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000).setTcpNoDelay(true));
    return client.connect(options.tcpPort(), options.host()).map(socket -> new TcpBusLink(client, socket));
  }

  private static Future<Void> closing(WebSocket ws) {
    return ws.isClosed() ? Future.succeededFuture() : ws.close();
  }

  static JsonObject parse(Buffer data) {
    try {
      return new JsonObject(data);
    } catch (RuntimeException e) {
      return new JsonObject().put("type", "unparsable").put("text", data.toString());
    }
  }

  /** Frames over TCP: a 4-byte big-endian length, then that many bytes of JSON, both ways. */
  final class TcpBusLink implements BusLink {
    private final NetClient client;
    private final NetSocket socket;
    private final RecordParser parser;
    private boolean readingLength = true;

    private TcpBusLink(NetClient client, NetSocket socket) {
      this.client = client;
      this.socket = socket;
      this.parser = RecordParser.newFixed(4, socket);
    }

    @Override
    public void send(JsonObject frame) {
      Buffer json = frame.toBuffer();
      socket.write(Buffer.buffer(json.length() + 4).appendInt(json.length()).appendBuffer(json));
    }

    @Override
    public void frameHandler(Handler<JsonObject> handler) {
      parser.handler(record -> {
        if (readingLength) {
          if (record.length() < 4) return; // the hub went away mid-frame
          int size = record.getInt(0);
          if (size <= 0) {
            handler.handle(parse(Buffer.buffer()));
            return;
          }
          readingLength = false;
          parser.fixedSizeMode(size);
        } else {
          readingLength = true;
          parser.fixedSizeMode(4);
          handler.handle(parse(record));
        }
      });
    }

    @Override
    public void closeHandler(Handler<Void> handler) {
      socket.closeHandler(handler);
    }

    @Override
    public Future<Void> close() {
      return socket.close().eventually(client::close);
    }
  }
}
