package roombus.bridge;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.function.BooleanSupplier;
import roombus.metrics.HubMetrics;

/**
 * The transport under one bridge client: a SockJS socket (any of its transports), the raw websocket
 * ({@link RawWebSocketLink}) or a TCP connection. Frames in and out are whole JSON texts; the link
 * does its own framing.
 */
interface ClientLink {

  /** How this transport frames delivered messages. */
  BridgeFrames.Style style();

  /** Called with each whole frame the client sends. */
  void frameHandler(Handler<Buffer> handler);

  /** Called once when the client is gone, whatever the reason. */
  void closeHandler(Handler<Void> handler);

  void write(Buffer frame);

  /**
   * True when the client does not keep up: frames already queued for it exceed the link's limit.
   */
  boolean writeQueueFull();

  /** Closes the link because the client is too slow (or otherwise misbehaves). */
  void closeSlow();

  void close();

  /**
   * Closes with a code the client acts on ({@link BridgeHub#GOING_AWAY}: reconnect to another node;
   * {@link BridgeHub#DISCONNECTED}: an administrator ended it; {@link BridgeHub#RATE_LIMITED}: a
   * limit against abuse did).
   */
  default void close(int code, String reason) {
    close();
  }

  /**
   * The transport, as the {@code transport} label of the metrics says it ({@code websocket}, {@code
   * xhr-polling}, …).
   */
  default String transport() {
    return "unknown";
  }

  /**
   * Whether a websocket's write queue is full. One that has sent or received its close frame says
   * so by throwing, until its end handler runs (up to the close handshake's timeout): what is
   * written to it meanwhile is dropped, so it is not full.
   */
  static boolean writeQueueFull(BooleanSupplier writeQueueFull) {
    try {
      return writeQueueFull.getAsBoolean();
    } catch (IllegalStateException closing) {
      return false;
    }
  }

  /** How long a polling client has to fetch its last frames before its session closes. */
  long POLL_FETCH_MS = 500;

  /**
   * A SockJS socket as a link; {@code onClose} runs when it ends, before the bridge's own handler.
   */
  static ClientLink of(SockJSSocket socket, Runnable onClose) {
    return new ClientLink() {
      @Override
      public BridgeFrames.Style style() {
        return BridgeFrames.Style.REC;
      }

      @Override
      public void frameHandler(Handler<Buffer> handler) {
        socket.handler(handler);
      }

      @Override
      public void closeHandler(Handler<Void> handler) {
        socket.endHandler(
            v -> {
              onClose.run();
              handler.handle(v);
            });
        socket.exceptionHandler(err -> {});
      }

      @Override
      public void write(Buffer frame) {
        socket.write(frame);
      }

      @Override
      public boolean writeQueueFull() {
        return ClientLink.writeQueueFull(socket::writeQueueFull);
      }

      @Override
      public void closeSlow() {
        socket.close(4000, "too slow");
      }

      @Override
      public void close() {
        socket.close();
      }

      /**
       * vertx-web closes SockJS polling and streaming sessions with {@code c[3000,"Go away!"]}
       * whatever the code; the code goes first in an err frame, as on the TCP bridge, then in the
       * close itself where the transport carries one (websockets). A closed polling session drops
       * what its client has not fetched yet, so it closes a moment later, once the next poll took
       * the err frame.
       */
      @Override
      public void close(int code, String reason) {
        socket.write(BridgeFrames.closing(code, reason));
        String transport = transport();
        if (transport.endsWith("websocket")) socket.close(code, reason);
        else
          Vertx.currentContext().owner().setTimer(POLL_FETCH_MS, id -> socket.close(code, reason));
      }

      @Override
      public String transport() {
        return HubMetrics.transportOf(socket.uri());
      }
    };
  }
}
