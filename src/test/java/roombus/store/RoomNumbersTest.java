package roombus.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;

@DisplayName("Numbering a room's messages in memory")
class RoomNumbersTest {

  /** What the "store" says of each room; absent means no such room. */
  private final Map<String, RoomNumbers.RoomFacts> store = new HashMap<>();

  private int asked;
  private final List<Set<String>> rechecks = new ArrayList<>();

  /** Answers to rechecks the test holds back; rechecks are answered at once while it is null. */
  private List<Runnable> heldBack;

  private long now = 100_000;
  private final RoomNumbers numbers =
      new RoomNumbers(
          new RoomNumbers.Source() {
            @Override
            public Future<RoomNumbers.RoomFacts> facts(String room) {
              asked++;
              RoomNumbers.RoomFacts facts = store.get(room);
              return Future.succeededFuture(
                  facts != null ? facts : new RoomNumbers.RoomFacts(false, Set.of(), 0));
            }

            @Override
            public Future<Map<String, RoomNumbers.RoomFacts>> recheck(Set<String> rooms) {
              asked++;
              rechecks.add(Set.copyOf(rooms));
              Map<String, RoomNumbers.RoomFacts> found = new HashMap<>();
              rooms.forEach(
                  room -> {
                    RoomNumbers.RoomFacts facts = store.get(room);
                    if (facts != null) found.put(room, facts);
                  });
              if (heldBack == null) return Future.succeededFuture(found);
              Promise<Map<String, RoomNumbers.RoomFacts>> answer = Promise.promise();
              heldBack.add(() -> answer.complete(found));
              return answer.future();
            }
          },
          () -> now);

  private long next(String room) {
    return numbers.counter(room).result().next();
  }

  @Test
  @DisplayName(
      "numbers follow the newest stored message, one after another, without asking the store each time")
  void continuesAfterStored() {
    store.put("r", new RoomNumbers.RoomFacts(true, Set.of(), 41));
    assertThat(next("r")).isEqualTo(42);
    assertThat(next("r")).isEqualTo(43);
    assertThat(next("r")).isEqualTo(44);
    assertThat(asked).isEqualTo(1);
  }

  @Test
  @DisplayName("after a refused number the counter reloads from what the store holds")
  void reloadAfterRefusal() {
    store.put("r", new RoomNumbers.RoomFacts(true, Set.of(), 0));
    assertThat(next("r")).isEqualTo(1);
    store.put("r", new RoomNumbers.RoomFacts(true, Set.of(), 7)); // another node stored up to 7
    numbers.reload("r");
    assertThat(next("r")).isEqualTo(8);
  }

  @Test
  @DisplayName("a room that does not exist refuses numbers")
  void noSuchRoom() {
    Future<RoomNumbers.Counter> counter = numbers.counter("gone");
    assertThat(((Refusal) counter.cause()).reason()).isEqualTo(Reason.NO_SUCH_ROOM);
  }

  @Test
  @DisplayName("a deleted room is noticed when its counter is checked again, a moment later")
  void deletedRoomNoticed() {
    store.put("r", new RoomNumbers.RoomFacts(true, Set.of(), 0));
    next("r");
    store.remove("r");
    assertThat(numbers.counter("r").succeeded()).isTrue(); // trusted for a moment
    now += RoomNumbers.RECHECK_MS;
    assertThat(((Refusal) numbers.counter("r").cause()).reason()).isEqualTo(Reason.NO_SUCH_ROOM);
  }

  @Test
  @DisplayName(
      "users the owner removed are known from the store, and removals through any node apply at once")
  void removedUsers() {
    store.put("r", new RoomNumbers.RoomFacts(true, Set.of("u-old"), 0));
    RoomNumbers.Counter counter = numbers.counter("r").result();
    assertThat(counter.removed("u-old")).isTrue();
    assertThat(counter.removed("u-new")).isFalse();
    numbers.removed("r", "u-new");
    assertThat(numbers.counter("r").result().removed("u-new")).isTrue();
  }

  @Test
  @DisplayName("a checked counter never goes back below numbers it gave out")
  void neverBackwards() {
    store.put("r", new RoomNumbers.RoomFacts(true, Set.of(), 0));
    next("r");
    next("r");
    now += RoomNumbers.RECHECK_MS; // the store has not seen message 2 yet
    store.put("r", new RoomNumbers.RoomFacts(true, Set.of(), 1));
    assertThat(next("r")).isEqualTo(3);
  }

  @Test
  @DisplayName(
      "counters due for a check are checked together: one question for every room posted in meanwhile")
  void rechecksTogether() {
    for (String room : List.of("a", "b", "c", "d"))
      store.put(room, new RoomNumbers.RoomFacts(true, Set.of(), 0));
    next("a");
    next("b");
    now += RoomNumbers.RECHECK_MS / 2;
    next("c");
    next("d");
    now += RoomNumbers.RECHECK_MS / 2; // a and b are due, c and d half-way
    heldBack = new ArrayList<>();
    store.remove("b"); // deleted meanwhile

    Future<RoomNumbers.Counter> a = numbers.counter("a");
    Future<RoomNumbers.Counter> b = numbers.counter("b"); // on the way already: shares the answer
    assertThat(rechecks).containsExactly(Set.of("a", "b", "c", "d"));
    heldBack.remove(0).run();
    assertThat(a.result().next()).isEqualTo(2);
    assertThat(((Refusal) b.cause()).reason()).isEqualTo(Reason.NO_SUCH_ROOM);

    now += RoomNumbers.RECHECK_MS / 2 - 1; // c and d were checked with a: still trusted
    assertThat(numbers.counter("c").result().next()).isEqualTo(2);
    assertThat(numbers.counter("d").result().next()).isEqualTo(2);
    assertThat(rechecks).hasSize(1);

    now += RoomNumbers.RECHECK_MS;
    Future<RoomNumbers.Counter> c = numbers.counter("c");
    Future<RoomNumbers.Counter> d = numbers.counter("d"); // the question for c includes d
    assertThat(rechecks).hasSize(2).last().isEqualTo(Set.of("a", "c", "d"));
    heldBack.remove(0).run();
    assertThat(c.result().next()).isEqualTo(3);
    assertThat(d.result().next()).isEqualTo(3);
  }
}
