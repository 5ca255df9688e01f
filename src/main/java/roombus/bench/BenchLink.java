package roombus.bench;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/** How a simulated socket reaches the hub's event-bus bridge: the raw websocket or SockJS xhr-polling. */
interface BenchLink {

  /** Opens the link; frames from the hub go to {@code frames}, and {@code closed} runs once when the hub ends it. */
  Future<Void> open(Handler<Buffer> frames, Runnable closed);

  /** Queues one bridge frame; false when the link's own queue is full (the frame is dropped). */
  boolean write(String frame);

  boolean isOpen();

  Future<Void> close();
}
