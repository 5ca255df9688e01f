package roombus.client;

import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The lines typed into the client, sent one at a time, each acknowledged before the next, in the
 * order they were typed. A line the connection did not take ({@link NotTaken}: the node was going
 * away) goes first again once {@link #resume() resumed} on the next node; any other failure is
 * reported and the line dropped. When input has ended and every line is answered, the outbox says
 * so once.
 *
 * <p>Confined to the client's context, like everything of the client but the input's reader.
 */
final class LineOutbox {

  /** The connection ended before the hub took the line: send it again elsewhere. */
  static final class NotTaken extends RuntimeException {
    NotTaken() {
      super("not taken by the hub", null, false, false);
    }
  }

  private final Deque<String> lines = new ArrayDeque<>();
  private final Function<String, Future<Long>> send;
  private final Consumer<Throwable> notSent;
  private final Runnable allSent;

  /** A line is sent and its answer not yet here. */
  private boolean inFlight;

  /** The connection is being replaced: lines wait. */
  private boolean paused;

  private boolean ended;
  private boolean closed;
  private long lastAcknowledged;

  /**
   * @param send sends one line and answers the number the room gave it
   * @param notSent told of a line that failed and will not be sent again
   * @param allSent run once, when input has ended and every line is answered
   */
  LineOutbox(Function<String, Future<Long>> send, Consumer<Throwable> notSent, Runnable allSent) {
    this.send = send;
    this.notSent = notSent;
    this.allSent = allSent;
  }

  /** A typed line; blank ones are not chats. */
  void add(String line) {
    if (line.isBlank()) return;
    lines.add(line);
    next();
  }

  /** Input ended: once what is queued is answered, {@code allSent} runs. */
  void end() {
    ended = true;
    next();
  }

  /** Lines wait until {@link #resume()}. */
  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
    next();
  }

  /** The client is done: nothing more is sent. */
  void close() {
    closed = true;
  }

  /** The highest number the room gave a line of ours. */
  long lastAcknowledged() {
    return lastAcknowledged;
  }

  private void next() {
    if (inFlight || paused || closed) return;
    String line = lines.poll();
    if (line == null) {
      if (ended) {
        closed = true;
        allSent.run();
      }
      return;
    }
    inFlight = true;
    send.apply(line)
        .onComplete(
            answer -> {
              inFlight = false;
              if (answer.succeeded()) {
                lastAcknowledged = Math.max(lastAcknowledged, answer.result());
              } else if (answer.cause() instanceof NotTaken) {
                lines.addFirst(line);
              } else if (!closed) {
                notSent.accept(answer.cause());
              }
              next();
            });
  }
}
