package roombus.bridge;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/**
 * The raw websocket at {@code /eventbus/websocket} as a link on Vert.x's websocket: what
 * vertx-web's SockJS raw transport does (every frame a whole bridge frame, text or binary in,
 * binary out). Used only when Vert.x does not show the socket's channel to {@link
 * ChannelWebSocketLink}, which serves the same frames with less memory and one encoding per room.
 */
final class RawWebSocketLink implements ClientLink {

  private final ServerWebSocket socket;

  RawWebSocketLink(ServerWebSocket socket) {
    this.socket = socket;
  }

  @Override
  public BridgeFrames.Style style() {
    return BridgeFrames.Style.REC;
  }

  @Override
  public void frameHandler(Handler<Buffer> handler) {
    socket.binaryMessageHandler(handler);
    socket.textMessageHandler(text -> handler.handle(Buffer.buffer(text)));
  }

  @Override
  public void closeHandler(Handler<Void> handler) {
    socket.endHandler(handler);
    socket.exceptionHandler(err -> {});
  }

  @Override
  public void write(Buffer frame) {
    socket.writeBinaryMessage(frame);
  }

  @Override
  public boolean writeQueueFull() {
    return ClientLink.writeQueueFull(socket::writeQueueFull);
  }

  @Override
  public void closeSlow() {
    socket.close((short) 4000, "too slow");
  }

  @Override
  public void close() {
    socket.close();
  }

  @Override
  public void close(int code, String reason) {
    socket.writeBinaryMessage(BridgeFrames.closing(code, reason));
    socket.close((short) code, reason);
  }

  @Override
  public String transport() {
    return "websocket";
  }
}
