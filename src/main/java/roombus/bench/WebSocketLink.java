package roombus.bench;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;

/** The raw event-bus websocket, {@code /eventbus/websocket}, with the user's session cookie. */
final class WebSocketLink implements BenchLink {

  private final BenchNode node;
  private final String sid;
  private WebSocket ws;

  WebSocketLink(BenchNode node, String sid) {
    this.node = node;
    this.sid = sid;
  }

  @Override
  public Future<Void> open(Handler<Buffer> frames, Runnable closed) {
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(node.host).setPort(node.port).setURI(node.prefix + "/eventbus/websocket")
        .addHeader("Cookie", "roombus.sid=" + sid);
    options.setTimeout(20_000);
    return node.ws.connect(options).map(socket -> {
      ws = socket;
      socket.handler(frames);
      socket.closeHandler(x -> closed.run());
      socket.exceptionHandler(err -> { });
      return null;
    });
  }

  @Override
  public boolean write(String frame) {
    if (!isOpen() || ws.writeQueueFull()) return false;
    ws.writeTextMessage(frame);
    return true;
  }

  @Override
  public boolean isOpen() {
    return ws != null && !ws.isClosed();
  }

  @Override
  public Future<Void> close() {
    return isOpen() ? ws.close().recover(err -> Future.succeededFuture()) : Future.succeededFuture();
  }
}
