package roombus.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;

@ExtendWith(VertxExtension.class)
@DisplayName(
    "A client that loses its connection while messages keep flowing misses nothing when it comes back")
class ReconnectCatchUpTest {

  @StartHub private TestHub hub;

  @Test
  @DisplayName(
      "dropped and reconnected with the last seq seen: every message exactly once, in order")
  void dropAndReconnect(Vertx vertx) throws Exception {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Flowing").getString("id");
    String room = "chat.room." + id;
    assertThat(bob.enter(id).status()).isEqualTo(200);
    List<Long> seen = new ArrayList<>();

    BridgeSocket first = bob.connect(vertx);
    first.enterRoom(id);
    AtomicBoolean talking = new AtomicBoolean(true);
    Thread talker =
        new Thread(
            () -> {
              for (int i = 0; i < 120 && talking.get(); i++) alice.say(id, "flow " + i);
            });
    talker.start();
    first.awaitMessage(room, m -> "flow 30".equals(m.getString("chat")));
    first.close(); // the connection drops in the middle of the flow
    seen.addAll(seqs(first, room));
    long lastSeen = seen.get(seen.size() - 1);

    BridgeSocket second = bob.connect(vertx);
    second.register(room, lastSeen);
    talker.join(60_000);
    long last = lastSeq(alice, id);
    second.awaitMessage(room, m -> m.getLong("seq", 0L) >= last);
    seen.addAll(seqs(second, room));

    long firstSeq = seen.get(0);
    assertThat(seen).isEqualTo(LongStream.rangeClosed(firstSeq, last).boxed().toList());
  }

  @Test
  @DisplayName(
      "the hub restarts while the client is away: same session, and it catches up from the stored history")
  void catchUpAfterRestart(Vertx vertx) throws Exception {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Restarting").getString("id");
    String room = "chat.room." + id;
    assertThat(bob.enter(id).status()).isEqualTo(200);
    BridgeSocket before = bob.connect(vertx);
    before.enterRoom(id);
    for (int i = 0; i < 5; i++) alice.say(id, "before " + i);
    before.awaitMessage(room, m -> "before 4".equals(m.getString("chat")));
    List<Long> seenBefore = seqs(before, room);
    long lastSeen = seenBefore.get(seenBefore.size() - 1);
    for (int i = 0; i < 5; i++) alice.say(id, "missed " + i);
    before
        .close(); // its hub goes away: nothing of the old connection is left for the test's Vert.x
    // to close

    hub.restart(); // on the same data folder
    // sessions are stored: the same cookie still means the same user, with access to the room
    User bobAgain = bob.at(hub.base());
    assertThat(bobAgain.get("/api/me").json().getString("user")).isEqualTo(bob.id());
    BridgeSocket after = bobAgain.connect(vertx);
    after.register(room, lastSeen);
    after.awaitMessage(room, m -> "missed 4".equals(m.getString("chat")));
    List<String> caughtUp =
        after.messages(room).stream()
            .filter(m -> m.containsKey("chat"))
            .filter(m -> "chat".equals(m.getString("type")))
            .map(m -> m.getString("chat"))
            .toList();
    assertThat(caughtUp)
        .containsExactly("missed 0", "missed 1", "missed 2", "missed 3", "missed 4");
    after.close();
  }

  private static List<Long> seqs(BridgeSocket socket, String room) {
    return socket.messages(room).stream()
        .filter(m -> m.getLong("seq", 0L) > 0)
        .map(m -> m.getLong("seq"))
        .toList();
  }

  private static long lastSeq(User user, String roomId) {
    return user.history(roomId).array().stream()
        .map(JsonObject.class::cast)
        .mapToLong(m -> m.getLong("seq"))
        .max()
        .orElseThrow();
  }
}
