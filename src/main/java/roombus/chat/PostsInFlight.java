package roombus.chat;

import io.vertx.core.Vertx;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many posts of this node are on their way to the store. Past {@link #LIMIT} a post is refused
 * as busy at once, on its connection's event loop, before it costs an event-bus request, a reply
 * timer and a place in the store's queue. Without this gate an overloaded node queued every post as
 * a request to the store verticle's event loop (150,000 of them, with their timers, at 130k
 * deliveries/s offered): the heap filled with posts it would refuse seconds later, full collections
 * followed one another, and it delivered a fraction of what it can.
 *
 * <p>One count per node ({@link Vertx} instance), shared by its verticles.
 */
final class PostsInFlight {

  /** Two batches of the store's largest: a second or so of work at the node's capacity. */
  static final int LIMIT = 2_000;

  private static final Map<Vertx, PostsInFlight> BY_NODE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final AtomicInteger count = new AtomicInteger();

  static PostsInFlight of(Vertx vertx) {
    return BY_NODE.computeIfAbsent(vertx, v -> new PostsInFlight());
  }

  /** Takes a place for a post; false when the node has {@link #LIMIT} posts on their way. */
  boolean tryEnter() {
    if (count.incrementAndGet() <= LIMIT) return true;
    count.decrementAndGet();
    return false;
  }

  /** The post was stored or refused. */
  void leave() {
    count.decrementAndGet();
  }
}
