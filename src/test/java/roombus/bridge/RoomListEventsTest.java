package roombus.bridge;

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

@ExtendWith(VertxExtension.class)
@DisplayName("The room list on chat.rooms updates live for every visitor")
class RoomListEventsTest {

  @StartHub private static TestHub hub;

  private static boolean event(JsonObject body, String type, String roomId) {
    return type.equals(body.getString("type")) && roomId.equals(body.getString("id"));
  }

  @Test
  @DisplayName("another user's new room arrives as newRoom with its public fields, and no password")
  void newRoom(Vertx vertx) {
    BridgeSocket watcher = hub.newUser().connect(vertx).listenToRoomList();
    User alice = hub.newUser();

    JsonObject created = alice.createRoom("Fresh", 3, "hunter2");

    JsonObject event =
        watcher.awaitMessage("chat.rooms", m -> event(m, "newRoom", created.getString("id")));
    JsonObject room = event.getJsonObject("room");
    assertThat(room.getString("title")).isEqualTo("Fresh");
    assertThat(room.getInteger("max")).isEqualTo(3);
    assertThat(room.getString("owner")).isEqualTo(alice.id());
    assertThat(room.getBoolean("locked")).isTrue();
    assertThat(event.encode())
        .doesNotContain("hunter2")
        .doesNotContainIgnoringCase("password")
        .doesNotContain("$2a$");
  }

  @Test
  @DisplayName(
      "occupancy changes arrive as count events: in when a user registers, out when they leave")
  void counts(Vertx vertx) {
    BridgeSocket watcher = hub.newUser().connect(vertx).listenToRoomList();
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Counted").getString("id");
    bob.enter(id);

    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);
    bobSocket.close();

    TestHub.eventually(() -> assertThat(watcher.occupancy(id)).containsExactly(1, 2, 1));
  }

  @Test
  @DisplayName(
      "a room deleted by its owner arrives as removeRoom, and its sockets are told it was removed")
  void removeRoom(Vertx vertx) {
    BridgeSocket watcher = hub.newUser().connect(vertx).listenToRoomList();
    User alice = hub.newUser();
    String id = alice.createRoom("Doomed").getString("id");
    BridgeSocket inside = alice.connect(vertx);
    inside.enterRoom(id);

    assertThat(alice.delete("/api/rooms/" + id).status()).isEqualTo(204);

    watcher.awaitMessage("chat.rooms", m -> event(m, "removeRoom", id));
    inside.awaitMessage("chat.room." + id, m -> "removed".equals(m.getString("type")));
  }
}
