package roombus.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import roombus.common.ApiError;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Numbers each room's messages 1, 2, 3, … in memory, so that storing a message costs one insert and no
 * counter update in the store.
 *
 * <p>The store stays the judge: a message's key {@code "<room>|<seq>"} is unique, so if two nodes ever
 * give out the same number, one insert is refused, and that node reloads the room's counter and numbers
 * the message again ({@link MongoStore#append}). Numbers are gap-free as long as every insert succeeds:
 * after a failed insert the counter is reloaded from what the store holds, not advanced.
 *
 * <p>A counter is loaded from the room document's {@code seq} plus a probe of the keys after it, since
 * {@code seq} is written back lazily ({@link #SAVE_DELAY_MS}) and may lag behind the messages after a
 * crash. It is checked against the room document again after {@link #RECHECK_MS}: a deleted room then
 * refuses posts (404), and the room's removed users ({@code banned}) are those of the document. Bans made
 * through this node apply at once.
 *
 * <p>Touched only on the store verticle's event loop.
 */
final class RoomNumbers {

  /** How long a counter's room check (exists, who is removed) is trusted. */
  static final long RECHECK_MS = 1000;
  /** How long a room's newest number may wait before it is written back to the room document. */
  static final long SAVE_DELAY_MS = 1000;
  /** How long the counter of a room without posts is kept. */
  static final long FORGET_AFTER_MS = 10 * 60_000;
  /** Keys looked up at once when searching for the newest stored message of a room. */
  private static final int PROBE = 64;

  private final Vertx vertx;
  private final MongoClient mongo;
  private final Map<String, Counter> counters = new HashMap<>();
  private final Map<String, Long> unsaved = new HashMap<>();
  private boolean saveScheduled;

  RoomNumbers(Vertx vertx, MongoClient mongo) {
    this.vertx = vertx;
    this.mongo = mongo;
  }

  static final class Counter {
    private long last;
    private long stored;
    private Set<String> banned = Set.of();
    private long checkedAt;

    long next() {
      return ++last;
    }

    boolean removed(String user) {
      return banned.contains(user);
    }
  }

  /** The room's counter, checked against the room document at most {@link #RECHECK_MS} ago; 404 when the room is gone. */
  Future<Counter> counter(String roomId) {
    Counter known = counters.get(roomId);
    long now = System.currentTimeMillis();
    if (known != null && now - known.checkedAt < RECHECK_MS) return Future.succeededFuture(known);
    return mongo.findOne(MongoStore.ROOMS, new JsonObject().put("_id", roomId), new JsonObject().put("seq", 1).put("banned", 1))
        .compose(doc -> {
          if (doc == null) {
            forget(roomId);
            return Future.failedFuture(ApiError.notFound("No such room"));
          }
          long saved = doc.getLong("seq", 0L);
          Future<Long> last = known != null ? Future.succeededFuture(Math.max(saved, known.last)) : lastStored(roomId, saved);
          return last.map(l -> {
            Counter counter = counters.computeIfAbsent(roomId, r -> new Counter());
            counter.last = Math.max(counter.last, l);
            counter.banned = new HashSet<>(doc.getJsonArray("banned", new JsonArray()).getList());
            counter.checkedAt = now;
            return counter;
          });
        });
  }

  /**
   * The newest number stored in the room, at least {@code from}: the keys after {@code from} are looked
   * up {@link #PROBE} at a time, by exact key (an index lookup on every store).
   */
  Future<Long> lastStored(String roomId, long from) {
    JsonObject query = MongoStore.keysOf(roomId, from + 1, from + PROBE);
    return mongo.findWithOptions(MongoStore.CHATS, query, new FindOptions().setFields(new JsonObject().put("seq", 1)))
        .compose(docs -> {
          long max = from;
          for (JsonObject doc : docs) max = Math.max(max, doc.getLong("seq", 0L));
          return max == from + PROBE ? lastStored(roomId, max) : Future.succeededFuture(max);
        });
  }

  /** The newest number this node has stored in the room (its insert acknowledged), or 0 if it numbers none there. */
  long known(String roomId) {
    Counter counter = counters.get(roomId);
    return counter == null ? 0 : counter.stored;
  }

  /** A number given out may be taken or lost: the counter is loaded again from the store before the next use. */
  void reload(String roomId) {
    counters.remove(roomId);
  }

  /** The room is gone. */
  void forget(String roomId) {
    counters.remove(roomId);
    unsaved.remove(roomId);
  }

  /** The owner removed a user through this node: their posts are refused from now on. */
  void removed(String roomId, String user) {
    Counter counter = counters.get(roomId);
    if (counter == null) return;
    Set<String> banned = new HashSet<>(counter.banned);
    banned.add(user);
    counter.banned = banned;
  }

  /** A message numbered {@code seq} is stored: the room document learns the number soon (see {@link #SAVE_DELAY_MS}). */
  void stored(String roomId, long seq) {
    Counter counter = counters.get(roomId);
    if (counter != null) counter.stored = Math.max(counter.stored, seq);
    unsaved.merge(roomId, seq, Math::max);
    if (!saveScheduled) {
      saveScheduled = true;
      vertx.setTimer(SAVE_DELAY_MS, t -> save());
    }
  }

  /**
   * Writes the rooms' newest numbers back to their documents, in one command; never lowers one. Counters
   * of rooms nobody posted in for {@link #FORGET_AFTER_MS} are dropped (a room deleted through another
   * node would otherwise keep its counter here).
   */
  Future<Void> save() {
    saveScheduled = false;
    long now = System.currentTimeMillis();
    counters.values().removeIf(counter -> now - counter.checkedAt > FORGET_AFTER_MS);
    if (unsaved.isEmpty()) return Future.succeededFuture();
    List<BulkOperation> updates = new ArrayList<>(unsaved.size());
    unsaved.forEach((room, seq) -> updates.add(BulkOperation.createUpdate(new JsonObject().put("_id", room),
        new JsonObject().put("$max", new JsonObject().put("seq", seq)))));
    unsaved.clear();
    return mongo.bulkWrite(MongoStore.ROOMS, updates).mapEmpty();
  }
}
