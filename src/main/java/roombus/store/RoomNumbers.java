package roombus.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
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

  /** Asks the store what it says of rooms. */
  interface Source {
    /** A room's facts, its newest stored number included: for a counter not known yet. */
    Future<RoomFacts> facts(String roomId);

    /**
     * The facts of rooms whose counters are known (their newest number is not asked again: the
     * counter knows it), in one question; a room absent from the answer does not exist.
     */
    Future<Map<String, RoomFacts>> recheck(Set<String> roomIds);
  }

  private final Source source;
  private final LongSupplier clock;
  private final Map<String, Counter> counters = new HashMap<>();

  /** Rooms waiting for the next recheck, and the answer they will share. */
  private Set<String> waiting = new HashSet<>();

  private Promise<Map<String, RoomFacts>> waitingFor = Promise.promise();

  /** The rooms of the question on its way, and its answer; null when none is. */
  private Set<String> asking;

  private Future<Map<String, RoomFacts>> askingFor;

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
   *
   * <p>Counters due for a check are checked together: one question to the store at a time, for
   * every room that needs it by then, and for the counters that will need it within half of {@link
   * #RECHECK_MS} (so that a node posting in a hundred rooms asks about them a few times a second,
   * not a hundred).
   */
  Future<Counter> counter(String roomId) {
    Counter known = counters.get(roomId);
    long now = clock.getAsLong();
    if (known != null && now - known.checkedAt < RECHECK_MS) return Future.succeededFuture(known);
    if (known == null) {
      return source
          .facts(roomId)
          .compose(
              facts -> {
                if (!facts.exists()) return noSuchRoom(roomId);
                Counter counter = counters.computeIfAbsent(roomId, r -> new Counter());
                counter.last = Math.max(counter.last, facts.newest());
                counter.removed = Set.copyOf(facts.removed());
                counter.checkedAt = now;
                return Future.succeededFuture(counter);
              });
    }
    return recheck(roomId)
        .compose(
            answered -> {
              Counter counter = counters.get(roomId);
              return counter == null ? noSuchRoom(roomId) : Future.succeededFuture(counter);
            });
  }

  private Future<Counter> noSuchRoom(String roomId) {
    counters.remove(roomId);
    return Future.failedFuture(new Refusal(Reason.NO_SUCH_ROOM));
  }

  /** Completes once the room's counter was checked again (or dropped: the room is gone). */
  private Future<Map<String, RoomFacts>> recheck(String roomId) {
    if (asking != null && asking.contains(roomId)) return askingFor;
    waiting.add(roomId);
    Future<Map<String, RoomFacts>> answer = waitingFor.future();
    if (asking == null) recheckWaiting();
    return answer;
  }

  private void recheckWaiting() {
    long now = clock.getAsLong();
    counters.forEach(
        (room, counter) -> {
          if (now - counter.checkedAt >= RECHECK_MS / 2) waiting.add(room);
        });
    Set<String> rooms = waiting;
    Promise<Map<String, RoomFacts>> answered = waitingFor;
    waiting = new HashSet<>();
    waitingFor = Promise.promise();
    asking = rooms;
    askingFor = answered.future();
    source
        .recheck(rooms)
        .onComplete(
            result -> {
              if (result.succeeded()) apply(rooms, result.result(), now);
              asking = null;
              askingFor = null;
              if (!waiting.isEmpty()) recheckWaiting();
              answered.handle(result);
            });
  }

  private void apply(Set<String> rooms, Map<String, RoomFacts> facts, long checkedAt) {
    for (String room : rooms) {
      RoomFacts found = facts.get(room);
      if (found == null || !found.exists()) {
        counters.remove(room);
        continue;
      }
      Counter counter = counters.get(room);
      if (counter == null) continue; // reloaded meanwhile: its next use asks again
      counter.removed = Set.copyOf(found.removed());
      counter.checkedAt = checkedAt;
    }
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
