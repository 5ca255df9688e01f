package roombus.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.room.RoomEvents;

@DisplayName("Who a room event's headers send it to, and who they take out of the room")
class EventHeadersTest {

  private static EventHeaders headers(String... pairs) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) map.add(pairs[i], pairs[i + 1]);
    return EventHeaders.of(map);
  }

  @Test
  @DisplayName("a message without headers goes to everybody and carries no seq")
  void plain() {
    EventHeaders none = headers();
    assertThat(none.isFor("ann")).isTrue();
    assertThat(none.seq()).isZero();
    assertThat(none.removes("ann")).isFalse();
  }

  @Test
  @DisplayName("a stored message carries its seq")
  void seq() {
    assertThat(headers(RoomEvents.SEQ, "42").seq()).isEqualTo(42);
  }

  @Test
  @DisplayName("a whisper goes to its recipient and its sender only")
  void whisper() {
    EventHeaders whisper =
        headers(RoomEvents.TO, "bob", RoomEvents.FROM, "ann", RoomEvents.ID, "w1");
    assertThat(whisper.isFor("bob")).isTrue();
    assertThat(whisper.isFor("ann")).isTrue();
    assertThat(whisper.isFor("cid")).isFalse();
    assertThat(whisper.id()).isEqualTo("w1");
  }

  @Test
  @DisplayName("a typing notice goes to everybody but the one typing")
  void typing() {
    EventHeaders typing = headers(RoomEvents.NOT_TO, "ann");
    assertThat(typing.isFor("ann")).isFalse();
    assertThat(typing.isFor("bob")).isTrue();
  }

  @Test
  @DisplayName("a kick takes out the kicked user only, and as a leave")
  void kick() {
    EventHeaders kick = headers(RoomEvents.CONTROL, "kick", RoomEvents.USER, "bob");
    assertThat(kick.isFor("ann")).isTrue();
    assertThat(kick.removes("bob")).isTrue();
    assertThat(kick.removes("ann")).isFalse();
    assertThat(kick.kicked()).isTrue();
  }

  @Test
  @DisplayName("a removed room takes everybody out, without a leave")
  void removed() {
    EventHeaders removed = headers(RoomEvents.CONTROL, "removed");
    assertThat(removed.removes("ann")).isTrue();
    assertThat(removed.removes("bob")).isTrue();
    assertThat(removed.kicked()).isFalse();
  }
}
