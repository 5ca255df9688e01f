package roombus.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * One Socket.IO client of the peer (Socket.IO 4, namespace {@code /chat}), bound to one event loop
 * of the load generator: an Engine.IO v4 websocket, no polling. After the handshake it opens the
 * namespace, emits {@code join} with an ack id and counts as in its room when the ack comes back,
 * so a message is only expected from sockets that will get it, as on roombus. It posts {@code chat}
 * events carrying a {@link ChatLine} and scans each delivery for it without parsing JSON. The
 * server pings; the link answers every ping at once, so {@link #ping()} has nothing to do.
 */
final class SocketIoLink extends JoiningLink {

  private static final String PATH = "socket.io/?EIO=4&transport=websocket";
  private static final long JOIN_ACK = 1;

  private WebSocket ws;

  /** The chat event up to its text, the same for every post of this socket. */
  private String framePrefix;

  SocketIoLink(BenchRun run, BenchUser user, Context context) {
    super(run, user, context);
  }

  /** Opens the websocket; the namespace and the join follow as frames ({@link #received}). */
  @Override
  Future<Void> open() {
    framePrefix = SocketIoFrames.chatPrefix(user.room.id, "u" + user.index);
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(user.node.hub.host())
            .setPort(user.node.hub.port())
            .setSsl(user.node.hub.ssl())
            .setURI(user.node.hub.path(PATH));
    options.setTimeout(20_000);
    return user.node
        .ws
        .connect(options)
        .map(
            socket -> {
              ws = socket;
              // a broken connection also closes, and the close handler says so
              socket.exceptionHandler(err -> {});
              socket.shutdownHandler(x -> socket.close());
              socket.closeHandler(x -> closed());
              socket.handler(this::received);
              step("awaiting_join");
              return null;
            });
  }

  @Override
  Future<Void> closeSocket() {
    return ws == null || ws.isClosed() ? Future.succeededFuture() : ws.close();
  }

  @Override
  public boolean post(long now) {
    if (!live() || ws.isClosed() || ws.writeQueueFull()) return false;
    StringBuilder frame =
        new StringBuilder(framePrefix.length() + run.options.messageSize() + 48)
            .append(framePrefix);
    SocketIoFrames.chatSuffix(
        ChatLine.append(frame, now, run.runId, run.options.messageSize()), now);
    ws.writeTextMessage(frame.toString());
    return true;
  }

  @Override
  public void ping() {
    // Engine.IO v4: the server sends the pings and the client answers them (received)
  }

  private void received(Buffer frame) {
    long now = System.nanoTime();
    switch (SocketIoFrames.kind(frame)) {
      case EVENT -> {
        long sentAt = ChatLine.sentAt(frame, run.runId);
        if (sentAt >= 0) run.delivered(sentAt, now);
      }
      case PING -> ws.writeTextMessage(SocketIoFrames.PONG);
      case OPEN -> ws.writeTextMessage(SocketIoFrames.CONNECT);
      case CONNECTED -> ws.writeTextMessage(SocketIoFrames.join(user.room.id, JOIN_ACK));
      case ACK -> {
        if (SocketIoFrames.ackId(frame) == JOIN_ACK) joined.tryComplete();
      }
      case CONNECT_ERROR -> {
        joined.tryFail("socketio_connect_error");
        run.error("err_connect_error");
      }
      case CLOSE, DISCONNECTED -> ws.close();
      default -> {}
    }
  }
}
