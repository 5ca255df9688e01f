package roombus.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;

/** The hub here deletes a room one second after its last participant left (ROOM_GRACE_MS=1000). */
@ExtendWith(VertxExtension.class)
@DisplayName(
    "A room left empty is deleted after the grace period, unless someone comes back in time")
class GraceDeletionTest {

  @StartHub(settings = "ROOM_GRACE_MS=1000")
  private static TestHub hub;

  private static boolean removed(JsonObject event, String roomId) {
    return "removeRoom".equals(event.getString("type")) && roomId.equals(event.getString("id"));
  }

  private static boolean listed(User who, String roomId) {
    return who.get("/api/rooms").array().stream()
        .map(JsonObject.class::cast)
        .anyMatch(r -> roomId.equals(r.getString("id")));
  }

  @Test
  @DisplayName(
      "about a second after the last participant's socket closes, the room and its history are gone")
  void deletedAfterGrace(Vertx vertx) {
    User alice = hub.newUser();
    User watcher = hub.newUser();
    String id = alice.createRoom("Ephemeral").getString("id");
    alice.say(id, "remember me?");
    BridgeSocket list = watcher.connect(vertx).listenToRoomList();
    BridgeSocket socket = alice.connect(vertx);
    socket.enterRoom(id);

    socket.close();
    list.awaitMessage(
        "chat.rooms",
        m ->
            "count".equals(m.getString("type"))
                && id.equals(m.getString("id"))
                && m.getInteger("count") == 0);
    long emptySince = System.nanoTime();
    boolean listedWhileGrace = listed(watcher, id);

    list.awaitMessage("chat.rooms", m -> removed(m, id));
    long graceMillis = (System.nanoTime() - emptySince) / 1_000_000;

    assertThat(listedWhileGrace).as("still listed right after it emptied").isTrue();
    assertThat(graceMillis)
        .as("ms between the room emptying and its removal")
        .isGreaterThanOrEqualTo(500);
    assertThat(listed(watcher, id)).isFalse();
    assertThat(hub.newUser().enter(id).status()).isEqualTo(404);
    assertThat(alice.enter(id).status()).isEqualTo(404);
    assertThat(alice.history(id).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("coming back within the grace period cancels the deletion")
  void reentryCancels(Vertx vertx) {
    User alice = hub.newUser();
    User carol = hub.newUser();
    User watcher = hub.newUser();
    String kept = alice.createRoom("Kept").getString("id");
    alice.say(kept, "still here");
    String control = carol.createRoom("Control").getString("id");
    BridgeSocket list = watcher.connect(vertx).listenToRoomList();
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(kept);
    BridgeSocket carolSocket = carol.connect(vertx);
    carolSocket.enterRoom(control);

    // Alice reloads the page: her socket closes, a new one comes back into the room at once
    aliceSocket.close();
    list.awaitMessage(
        "chat.rooms",
        m ->
            "count".equals(m.getString("type"))
                && kept.equals(m.getString("id"))
                && m.getInteger("count") == 0);
    alice.connect(vertx).enterRoom(kept);
    // the control room empties after that, so once it is deleted, Kept's deadline has passed too
    carolSocket.close();
    list.awaitMessage("chat.rooms", m -> removed(m, control));

    assertThat(list.messages("chat.rooms")).noneMatch(m -> removed(m, kept));
    assertThat(listed(watcher, kept)).isTrue();
    assertThat(alice.history(kept).array())
        .anyMatch(m -> "still here".equals(((JsonObject) m).getString("chat")));
    assertThat(hub.newUser().enter(kept).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a participant still connected keeps the room: another leaving does not delete it")
  void notWhileSomeoneStays(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    User carol = hub.newUser();
    User watcher = hub.newUser();
    String kept = alice.createRoom("Still occupied").getString("id");
    String control = carol.createRoom("Control 2").getString("id");
    BridgeSocket list = watcher.connect(vertx).listenToRoomList();
    alice.connect(vertx).enterRoom(kept);
    bob.enter(kept);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(kept);
    BridgeSocket carolSocket = carol.connect(vertx);
    carolSocket.enterRoom(control);

    bobSocket.close();
    list.awaitMessage(
        "chat.rooms",
        m ->
            "count".equals(m.getString("type"))
                && kept.equals(m.getString("id"))
                && m.getInteger("count") == 1);
    carolSocket.close();
    list.awaitMessage("chat.rooms", m -> removed(m, control));

    assertThat(list.messages("chat.rooms")).noneMatch(m -> removed(m, kept));
    assertThat(listed(watcher, kept)).isTrue();
  }
}
