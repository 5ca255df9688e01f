package roombus.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
final class SocketIoLink implements BenchLink {

  private static final String PATH = "socket.io/?EIO=4&transport=websocket";
  private static final long JOIN_ACK = 1;

  private final BenchRun run;
  private final BenchUser user;
  private final Context context;
  private WebSocket ws;

  /** The chat event up to its text, the same for every post of this socket. */
  private String framePrefix;

  private Promise<Void> joined;
  private boolean live;
  private volatile boolean closing;
  private volatile long connectMicros;

  SocketIoLink(BenchRun run, BenchUser user, Context context) {
    this.run = run;
    this.user = user;
    this.context = context;
  }

  @Override
  public BenchUser user() {
    return user;
  }

  @Override
  public long connectMicros() {
    return connectMicros;
  }

  @Override
  public Future<Void> connect() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          long start = System.nanoTime();
          framePrefix = SocketIoFrames.chatPrefix(user.room.id, "u" + user.index);
          joined = Promise.promise();
          // as for roombus: whatever hangs (handshake, namespace, join), the socket gives up after
          // 30 s
          long timer =
              run.vertx.setTimer(
                  30_000,
                  id -> {
                    joined.tryFail("join_timeout");
                    done.tryFail("connect_timeout");
                  });
          WebSocketConnectOptions options =
              new WebSocketConnectOptions()
                  .setHost(user.node.hub.host())
                  .setPort(user.node.hub.port())
                  .setSsl(user.node.hub.ssl())
                  .setURI(user.node.hub.path(PATH));
          options.setTimeout(20_000);
          user.node
              .ws
              .connect(options)
              .compose(
                  socket -> {
                    ws = socket;
                    socket.exceptionHandler(
                        err -> {}); // a broken connection also closes, and the close handler says
                    // so
                    socket.shutdownHandler(x -> socket.close());
                    socket.closeHandler(x -> closed());
                    socket.handler(this::received);
                    return joined.future();
                  })
              .onComplete(
                  ar -> {
                    run.vertx.cancelTimer(timer);
                    if (ar.succeeded() && !done.future().isComplete()) {
                      connectMicros = (System.nanoTime() - start) / 1000;
                      live = true;
                      user.room.live.incrementAndGet();
                      done.complete();
                    } else {
                      closing = true;
                      if (ws != null) ws.close();
                      done.tryFail(
                          ar.failed() ? ar.cause() : new IllegalStateException("connect_timeout"));
                    }
                  });
        });
    return done.future();
  }

  @Override
  public boolean post(long now) {
    if (!live || ws.isClosed() || ws.writeQueueFull()) return false;
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

  @Override
  public boolean live() {
    return live;
  }

  @Override
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          closing = true;
          if (ws == null || ws.isClosed()) done.complete();
          else ws.close().onComplete(ar -> done.complete());
        });
    return done.future();
  }

  private void closed() {
    if (live) {
      live = false;
      user.room.live.decrementAndGet();
    }
    if (!closing) run.error("socket_closed_by_server");
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
