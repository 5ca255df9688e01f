package roombus.store;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;

/**
 * Numbers each room's messages 1, 2, 3, … in memory, so that storing a message costs one insert and
 * no counter update.
 *
 * <p>The store stays the judge: {@code (room, seq)} is unique, so if two nodes ever give out the
 * same number, one insert is refused, and that node {@linkplain #reload reloads} the room's counter
 * from the newest stored message and numbers the message again. Numbers stay gap-free as long as
 * inserts succeed: after a failed insert the counter is reloaded, not advanced.
 *
 * <p>A counter is checked against the room again after {@link #RECHECK_MS}: a deleted room then
 * refuses posts, and the users the owner removed are those the store knows. Removals made through
 * any node apply at once ({@link #removed}).
 *
 * <p>Confined to the store verticle's event loop.
 */
final class RoomNumbers {

  /** How long a counter's room check (exists, who is removed) is trusted. */
  static final long RECHECK_MS = 1000;

  /** How long the counter of a room without posts is kept. */
  static final long FORGET_AFTER_MS = 10 * 60_000;

  /**
   * What the store says of a room: whether it exists, who was removed, its newest stored number.
   */
  record RoomFacts(boolean exists, Set<String> removed, long newest) {}

  /**
   * Asks the store for a room's facts; the newest stored number only when {@code withNewest} (a
   * counter checked again already knows it, and the room document alone says the rest).
   */
  interface Source {
    Future<RoomFacts> facts(String roomId, boolean withNewest);
  }

  private final Source source;
  private final LongSupplier clock;
  private final Map<String, Counter> counters = new HashMap<>();

  RoomNumbers(Source source, LongSupplier clock) {
    this.source = source;
    this.clock = clock;
  }

  static final class Counter {
    private long last;
    private Set<String> removed = Set.of();
    private long checkedAt;

    long next() {
      return ++last;
    }

    /** The last number given out: a whisper stored now sits after that message. */
    long last() {
      return last;
    }

    boolean removed(String user) {
      return removed.contains(user);
    }
  }

  /**
   * The room's counter, checked against the store at most {@link #RECHECK_MS} ago; {@code
   * NO_SUCH_ROOM}.
   */
  Future<Counter> counter(String roomId) {
    Counter known = counters.get(roomId);
    long now = clock.getAsLong();
    if (known != null && now - known.checkedAt < RECHECK_MS) return Future.succeededFuture(known);
    return source
        .facts(roomId, known == null)
        .compose(
            facts -> {
              if (!facts.exists()) {
                counters.remove(roomId);
                return Future.failedFuture(new Refusal(Reason.NO_SUCH_ROOM));
              }
              Counter counter = counters.computeIfAbsent(roomId, r -> new Counter());
              counter.last = Math.max(counter.last, facts.newest());
              counter.removed = Set.copyOf(facts.removed());
              counter.checkedAt = now;
              return Future.succeededFuture(counter);
            });
  }

  /** A number given out may be taken or lost: the counter is loaded again before the next use. */
  void reload(String roomId) {
    counters.remove(roomId);
  }

  /** The owner removed a user: their posts are refused from now on. */
  void removed(String roomId, String user) {
    Counter counter = counters.get(roomId);
    if (counter == null) return;
    Set<String> removed = new HashSet<>(counter.removed);
    removed.add(user);
    counter.removed = Set.copyOf(removed);
  }

  /**
   * Drops the counters of rooms nobody posted in lately (a room deleted elsewhere keeps none here).
   */
  void forgetIdle() {
    long now = clock.getAsLong();
    counters.values().removeIf(counter -> now - counter.checkedAt > FORGET_AFTER_MS);
  }
}
