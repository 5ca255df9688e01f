package roombus.room;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.eventually;
import static roombus.TestHub.holds;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;

/**
 * A closed connection is not leaving at once: the user keeps their place for the presence grace
 * ({@code PRESENCE_GRACE_MS}), so a reload, a short network loss or a restart of the hub announces
 * nothing. Leaving for real (unregistering, or staying away past the grace) announces one exit.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("A short disconnect or a hub restart is not leaving; staying away or unregistering is")
class PresenceGraceTest {

  private static List<JsonObject> comings(BridgeSocket watcher, String roomId, User who) {
    return watcher.messages("chat.room." + roomId).stream()
        .filter(
            m ->
                ("join".equals(m.getString("type")) || "exit".equals(m.getString("type")))
                    && who.id().equals(m.getString("user")))
        .toList();
  }

  private static long lastSeq(User reader, String roomId) {
    return reader.history(roomId).array().stream()
        .map(JsonObject.class::cast)
        .mapToLong(m -> m.getLong("seq"))
        .max()
        .orElse(0);
  }

  @Test
  @DisplayName("a socket closed and opened again within the grace: no exit, no join, the seat kept")
  void reconnectWithinGrace(
      Vertx vertx, @StartHub(settings = "PRESENCE_GRACE_MS=3000") TestHub hub) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Flaky network").getString("id");
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    bob.enter(id);
    BridgeSocket first = bob.connect(vertx);
    first.enterRoom(id);
    aliceSocket.awaitMessage(
        "chat.room." + id,
        m -> "join".equals(m.getString("type")) && bob.id().equals(m.getString("user")));

    first.close();
    BridgeSocket second = bob.connect(vertx);
    second.register("chat.room." + id, lastSeq(bob, id));
    second.awaitMessage("chat.room." + id, m -> "welcome".equals(m.getString("type")));

    holds(
        Duration.ofMillis(3000 + 2000),
        () -> assertThat(comings(aliceSocket, id, bob)).hasSize(1)); // the first join only
    assertThat(hub.newUser().get("/api/rooms/" + id).json().getInteger("count")).isEqualTo(2);
    second.close();
    aliceSocket.close();
  }

  @Test
  @DisplayName("a socket closed for good: one exit, once the grace has run")
  void stayAway(Vertx vertx, @StartHub(settings = "PRESENCE_GRACE_MS=1000") TestHub hub) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Gone for good").getString("id");
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    bob.enter(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);

    bobSocket.close();

    JsonObject exit =
        aliceSocket.awaitMessage("chat.room." + id, m -> "exit".equals(m.getString("type")));
    assertThat(exit.getString("user")).isEqualTo(bob.id());
    assertThat(exit.getInteger("count")).isEqualTo(1);
    alice.say(id, "marker");
    aliceSocket.awaitMessage("chat.room." + id, m -> "marker".equals(m.getString("chat")));
    assertThat(comings(aliceSocket, id, bob))
        .extracting(m -> m.getString("type"))
        .containsExactly("join", "exit");
    aliceSocket.close();
  }

  @Test
  @DisplayName("unregistering is leaving on purpose: the exit comes at once, not after the grace")
  void unregisterLeavesAtOnce(
      Vertx vertx, @StartHub(settings = "PRESENCE_GRACE_MS=600000") TestHub hub) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Goodbye").getString("id");
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    bob.enter(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);

    bobSocket.unregister("chat.room." + id);

    JsonObject exit =
        aliceSocket.awaitMessage("chat.room." + id, m -> "exit".equals(m.getString("type")));
    assertThat(exit.getString("user"))
        .isEqualTo(bob.id()); // within the test's patience, far less than ten minutes
    bobSocket.close();
    aliceSocket.close();
  }

  @Test
  @DisplayName(
      "the hub restarts and everyone reconnects within the grace: no exit or join for anybody; who then stays away leaves once")
  void restart(Vertx vertx, @StartHub(settings = "PRESENCE_GRACE_MS=3000") TestHub hub) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    User carol = hub.newUser();
    String id = alice.createRoom("Restarting").getString("id");
    bob.enter(id);
    carol.enter(id);
    for (User who : List.of(alice, bob, carol)) who.connect(vertx).enterRoom(id);
    long before = lastSeq(alice, id);

    hub.restart(); // on the same data folder; every socket was closed
    BridgeSocket aliceAgain = alice.at(hub.base()).connect(vertx);
    aliceAgain.register("chat.room." + id, before);
    BridgeSocket bobAgain = bob.at(hub.base()).connect(vertx);
    bobAgain.register("chat.room." + id, before);
    aliceAgain.awaitMessage("chat.room." + id, m -> "welcome".equals(m.getString("type")));
    bobAgain.awaitMessage("chat.room." + id, m -> "welcome".equals(m.getString("type")));

    // carol does not come back: after the grace she leaves, and she alone
    JsonObject exit =
        aliceAgain.awaitMessage("chat.room." + id, m -> "exit".equals(m.getString("type")));
    assertThat(exit.getString("user")).isEqualTo(carol.id());
    assertThat(exit.getInteger("count")).isEqualTo(2);
    holds(
        Duration.ofSeconds(2),
        () ->
            assertThat(aliceAgain.messages("chat.room." + id))
                .filteredOn(
                    m -> "join".equals(m.getString("type")) || "exit".equals(m.getString("type")))
                .extracting(m -> m.getString("user"))
                .containsExactly(carol.id()));
    eventually(
        () ->
            assertThat(alice.at(hub.base()).get("/api/rooms/" + id).json().getInteger("count"))
                .isEqualTo(2));
    aliceAgain.close();
    bobAgain.close();
  }
}
