package roombus.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.util.HashMap;
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
  private long now = 100_000;
  private final RoomNumbers numbers =
      new RoomNumbers(
          (room, withNewest) -> {
            asked++;
            RoomNumbers.RoomFacts facts = store.get(room);
            return Future.succeededFuture(
                facts != null ? facts : new RoomNumbers.RoomFacts(false, Set.of(), 0));
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
}
