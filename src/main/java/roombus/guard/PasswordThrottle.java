package roombus.guard;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import roombus.common.ApiError;

/**
 * Wrong room passwords slow their guesser down, exponentially, on every node: failures are counted
 * in the cluster-wide map {@value #MAP} (a node's own map when it is not clustered), under three
 * keys per attempt: the room and the user, the room and the client address (not a loopback one),
 * and the room itself. A client key's first {@value #FREE_PER_CLIENT} failures are free; each one
 * after makes it wait 1 s, doubling per failure up to 5 min. The room's key does the same after
 * {@value #FREE_PER_ROOM} failures of anyone, up to 30 s, so that many fresh sessions cannot guess
 * faster than one. While any key waits, an attempt is answered 429 without checking the password
 * (no bcrypt spent), the right password included. The right password clears the client's keys; an
 * entry is forgotten {@link #FORGET_AFTER} after its last failure.
 *
 * <p>Counting is read-then-write: two failures on the same key at the same moment on two nodes may
 * count once. On one node, a client key is checked by one request at a time (another one meanwhile
 * is answered 429), so parallel requests cannot all slip past a wait that the first would start.
 */
public final class PasswordThrottle {

  /** The cluster-wide map of failures: key → {@code failures:untilEpochMillis}. */
  public static final String MAP = "roombus.passwords";

  static final int FREE_PER_CLIENT = 3;
  static final int FREE_PER_ROOM = 20;
  static final Duration MAX_CLIENT_WAIT = Duration.ofMinutes(5);
  static final Duration MAX_ROOM_WAIT = Duration.ofSeconds(30);

  /** How long an entry outlives its last failure. */
  static final Duration FORGET_AFTER = Duration.ofMinutes(15);

  private static final String REFUSAL =
      "Too many wrong passwords for this room: wait before trying again";

  private static final String BUSY =
      "Your previous password for this room is still being checked: try again in a second";

  private final Vertx vertx;

  /** Client keys whose password check is under way on this node. */
  private final Set<String> checking = ConcurrentHashMap.newKeySet();

  private volatile Future<AsyncMap<String, String>> map;

  public PasswordThrottle(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Runs {@code check} (the bcrypt comparison, true when the password is right) for {@code user} at
   * {@code address} (may be null) entering {@code roomId}, unless a key is still waiting: then
   * fails with a 429 {@link ApiError} carrying the wait. Counts a wrong password, or clears the
   * client's failures after the right one, before the answer.
   */
  public Future<Boolean> attempt(
      String roomId, String user, String address, Supplier<Future<Boolean>> check) {
    List<String> clientKeys = new ArrayList<>(2);
    clientKeys.add(roomId + "|user:" + user);
    if (address != null && !RateLimits.isLoopback(address))
      clientKeys.add(roomId + "|address:" + address);
    String roomKey = roomId;
    List<String> held = new ArrayList<>(2);
    for (String key : clientKeys) {
      if (!checking.add(key)) {
        held.forEach(checking::remove);
        return Future.failedFuture(ApiError.tooMany(BUSY, Duration.ofSeconds(1)));
      }
      held.add(key);
    }
    List<String> all = new ArrayList<>(clientKeys);
    all.add(roomKey);
    return map()
        .compose(
            failures ->
                waitOf(failures, all)
                    .compose(
                        wait ->
                            wait > 0
                                ? Future.<Boolean>failedFuture(
                                    ApiError.tooMany(REFUSAL, Duration.ofMillis(wait)))
                                : check.get())
                    .compose(
                        right ->
                            (right
                                    ? cleared(failures, clientKeys)
                                    : failed(failures, clientKeys, roomKey))
                                .map(right)))
        .onComplete(done -> held.forEach(checking::remove));
  }

  private Future<AsyncMap<String, String>> map() {
    Future<AsyncMap<String, String>> known = map;
    if (known == null || known.failed()) {
      known = vertx.sharedData().getAsyncMap(MAP);
      map = known;
    }
    return known;
  }

  /** The longest wait still ahead of any of {@code keys}, in milliseconds (0: none). */
  private static Future<Long> waitOf(AsyncMap<String, String> failures, List<String> keys) {
    List<Future<String>> reads = keys.stream().map(failures::get).toList();
    return Future.all(reads)
        .map(
            all -> {
              long now = System.currentTimeMillis();
              long wait = 0;
              for (Future<String> read : reads)
                wait = Math.max(wait, Entry.parse(read.result()).until - now);
              return wait;
            });
  }

  private static Future<Void> failed(
      AsyncMap<String, String> failures, List<String> clientKeys, String roomKey) {
    List<Future<Void>> writes = new ArrayList<>(3);
    for (String key : clientKeys)
      writes.add(count(failures, key, FREE_PER_CLIENT, MAX_CLIENT_WAIT));
    writes.add(count(failures, roomKey, FREE_PER_ROOM, MAX_ROOM_WAIT));
    return Future.all(writes).mapEmpty();
  }

  private static Future<Void> count(
      AsyncMap<String, String> failures, String key, int free, Duration maxWait) {
    return failures
        .get(key)
        .compose(
            value -> {
              int count = Entry.parse(value).failures + 1;
              long until = System.currentTimeMillis() + waitAfter(count, free, maxWait).toMillis();
              return failures.put(key, count + ":" + until, FORGET_AFTER.toMillis());
            });
  }

  private static Future<Void> cleared(AsyncMap<String, String> failures, List<String> clientKeys) {
    return Future.all(clientKeys.stream().map(failures::remove).toList()).mapEmpty();
  }

  /**
   * The wait after the {@code failures}-th wrong password: none for the first {@code free}, then 1
   * s doubling per failure, at most {@code max}.
   */
  static Duration waitAfter(int failures, int free, Duration max) {
    if (failures <= free) return Duration.ZERO;
    int doublings = Math.min(failures - free - 1, 30);
    long millis = 1000L << doublings;
    return millis >= max.toMillis() ? max : Duration.ofMillis(millis);
  }

  /** An entry of the map: how many wrong passwords, and until when the key waits. */
  private record Entry(int failures, long until) {
    static Entry parse(String value) {
      if (value == null) return new Entry(0, 0);
      int colon = value.indexOf(':');
      try {
        return new Entry(
            Integer.parseInt(value.substring(0, colon)),
            Long.parseLong(value.substring(colon + 1)));
      } catch (RuntimeException malformed) {
        return new Entry(0, 0);
      }
    }
  }
}
