package roombus.busclient;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * How a {@link BusClient} reaches the hub: whole bridge frames (JSON texts) both ways. Each
 * transport does its own framing: websocket messages ({@link WebSocketTransport}), SockJS arrays
 * over HTTP ({@link XhrPollingTransport}), length prefixes over TCP ({@link TcpTransport}). A
 * transport belongs to the event loop it was opened on: call it there.
 */
public interface BusTransport {

  /** Called with each whole frame from the hub, as the hub sent it (unparsed). */
  void frameHandler(Handler<Buffer> handler);

  /** Called once when the connection ends, whoever ended it. */
  void closeHandler(Handler<Void> handler);

  /** Sends one frame as it is; the future completes when the transport has handed it over. */
  Future<Void> write(String frame);

  /**
   * True when frames already queued exceed the transport's limit: a caller that cares waits or
   * drops.
   */
  boolean writeQueueFull();

  boolean isOpen();

  Future<Void> close();

  /**
   * The code the hub closed the connection with ({@code 4001}: going away, reconnect to another
   * node; {@code 4002}: disconnected by an administrator), or -1 when there was none (or it is not
   * closed).
   */
  default int closeCode() {
    return -1;
  }

  /** The words that came with {@link #closeCode()}, or null. */
  default String closeReason() {
    return null;
  }
}
