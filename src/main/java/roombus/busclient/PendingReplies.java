package roombus.busclient;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The sends of one {@link BusClient} that wait for their reply: a reply address each, unique to
 * this client, and a timer that fails the send with {@link BusError#TIMEOUT} when no reply comes in
 * time. Touched only on the client's event loop.
 */
final class PendingReplies {

  /** A send's reply address, and the reply that will come to it. */
  record Awaited(String replyAddress, Future<BusMessage> reply) {}

  private record Waiting(Promise<BusMessage> promise, long timer) {}

  private final Vertx vertx;
  private final Map<String, Waiting> waiting = new HashMap<>();
  private final String prefix = "reply." + UUID.randomUUID() + ".";
  private long last;

  PendingReplies(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * A new reply address, whose reply fails with {@link BusError#TIMEOUT} after {@code timeoutMs}.
   */
  Awaited await(long timeoutMs) {
    String replyAddress = prefix + (++last);
    Promise<BusMessage> reply = Promise.promise();
    long timer =
        vertx.setTimer(
            timeoutMs,
            id ->
                fail(
                    replyAddress,
                    new BusError(
                        replyAddress,
                        -1,
                        BusError.TIMEOUT,
                        "no reply within " + timeoutMs + " ms",
                        null)));
    waiting.put(replyAddress, new Waiting(reply, timer));
    return new Awaited(replyAddress, reply.future());
  }

  /** Completes the send waiting on {@code replyAddress}; false when none is (null included). */
  boolean complete(String replyAddress, BusMessage reply) {
    Waiting send = take(replyAddress);
    if (send == null) return false;
    send.promise.tryComplete(reply);
    return true;
  }

  /** Fails the send waiting on {@code replyAddress}; false when none is (null included). */
  boolean fail(String replyAddress, BusError error) {
    Waiting send = take(replyAddress);
    if (send == null) return false;
    send.promise.tryFail(error);
    return true;
  }

  /**
   * Fails the send waiting on {@code replyAddress} with {@link BusError#CLOSED}, saying {@code
   * why}.
   */
  void closed(String replyAddress, String why) {
    fail(replyAddress, new BusError(replyAddress, -1, BusError.CLOSED, why, null));
  }

  /** Fails every send still waiting with {@link BusError#CLOSED}, saying {@code why}. */
  void allClosed(String why) {
    for (String replyAddress : new ArrayList<>(waiting.keySet())) closed(replyAddress, why);
  }

  private Waiting take(String replyAddress) {
    Waiting send = replyAddress == null ? null : waiting.remove(replyAddress);
    if (send != null) vertx.cancelTimer(send.timer);
    return send;
  }
}
