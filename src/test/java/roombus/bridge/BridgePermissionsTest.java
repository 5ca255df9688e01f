package roombus.bridge;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@DisplayName("The bridge lets a client reach only the room list and the rooms it entered")
class BridgePermissionsTest {

  @StartHub
  private static TestHub hub;

  @Test
  @DisplayName("a websocket opened without a session cookie is accepted, and hears the room list")
  void withoutCookie(Vertx vertx) {
    BridgeSocket stranger = User.anonymous(hub.base()).connect(vertx).listenToRoomList();
    String id = hub.newUser().createRoom("Seen by strangers").getString("id");

    stranger.awaitMessage("chat.rooms", m -> "newRoom".equals(m.getString("type")) && id.equals(m.getString("id")));
    stranger.register("chat.room." + id);
    assertThat(stranger.awaitError("chat.room." + id).getString("body")).isEqualTo("access_denied");
  }

  @Test
  @DisplayName("registering on a room the session has not entered is refused with access_denied")
  void registerWithoutEntering(Vertx vertx) {
    String id = hub.newUser().createRoom("Private talk").getString("id");
    BridgeSocket mallory = hub.newUser().connect(vertx);

    mallory.register("chat.room." + id);

    JsonObject err = mallory.awaitError("chat.room." + id);
    assertThat(err.getString("body")).isEqualTo("access_denied");
    assertThat(mallory.messages("chat.room." + id)).isEmpty();
    assertThat(hub.newUser().get("/api/rooms/" + id).json().getInteger("count")).isZero();
  }

  @Test
  @DisplayName("a client that did not enter a room receives nothing of it")
  void deniedReceivesNothing(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Not for Mallory").getString("id");
    BridgeSocket mallory = hub.newUser().connect(vertx);
    mallory.register("chat.room." + id);
    mallory.awaitError("chat.room." + id);
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);

    long seq = alice.say(id, "secret plans").json().getLong("seq");
    aliceSocket.awaitMessage("chat.room." + id, m -> m.getLong("seq", 0L) == seq);

    assertThat(mallory.frames()).noneMatch(f -> f.encode().contains("secret plans"));
  }

  @Test
  @DisplayName("sending to a room the session has not entered is refused and stores nothing")
  void sendWithoutEntering(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("No gatecrashers").getString("id");
    BridgeSocket mallory = hub.newUser().connect(vertx);

    mallory.send(new JsonObject().put("type", "send").put("address", "chat.room." + id)
        .put("body", new JsonObject().put("chat", "let me in")));

    JsonObject err = mallory.awaitError("chat.room." + id);
    assertThat(err.getInteger("failureCode")).isEqualTo(403);
    assertThat(alice.history(id).array()).isEmpty();
  }

  @Test
  @DisplayName("publishing to a room, even one entered, is refused with access_denied and stores nothing")
  void publishRefused(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Publish is not send").getString("id");
    BridgeSocket socket = alice.connect(vertx);
    socket.enterRoom(id);
    int stored = alice.history(id).array().size();

    socket.send(new JsonObject().put("type", "publish").put("address", "chat.room." + id)
        .put("body", new JsonObject().put("chat", "to everyone")));

    assertThat(socket.awaitError("chat.room." + id).getString("body")).isEqualTo("access_denied");
    assertThat(alice.history(id).array()).hasSize(stored);
    assertThat(socket.messages("chat.room." + id)).noneMatch(m -> "to everyone".equals(m.getString("chat")));
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("sending to an internal or unknown address is refused with access_denied")
  @ValueSource(strings = {"store.chats.append", "rooms.join", "rooms.create", "store.rooms.delete",
      "chat.roomsX", "chat.rooms", "chat.room.", "chat.room.a/b"})
  void sendElsewhere(String address, Vertx vertx) {
    BridgeSocket socket = hub.newUser().connect(vertx);

    socket.send(new JsonObject().put("type", "send").put("address", address).put("replyAddress", "my-reply")
        .put("body", new JsonObject().put("room", "x").put("user", "y").put("chat", "z")));

    JsonObject err = socket.awaitFrame("an err frame", f -> "err".equals(f.getString("type")));
    assertThat(err.getInteger("failureCode")).isEqualTo(403);
    assertThat(err.getString("body")).isEqualTo("access_denied");
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("registering on an internal or unknown address is refused with access_denied")
  @ValueSource(strings = {"store.chats.append", "rooms.join", "chat.roomsX", "chat.room.", "rooms.create"})
  void registerElsewhere(String address, Vertx vertx) {
    BridgeSocket socket = hub.newUser().connect(vertx);

    socket.register(address);

    JsonObject err = socket.awaitError(address);
    assertThat(err.getString("body")).isEqualTo("access_denied");
  }

  @Test
  @DisplayName("a frame that is not JSON gets an err frame, and the socket keeps working")
  void malformedFrame(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Robust").getString("id");
    BridgeSocket socket = alice.connect(vertx);

    socket.sendText("this is {not json");

    JsonObject err = socket.awaitFrame("an err frame", f -> "err".equals(f.getString("type")));
    assertThat(err.getString("body")).isNotBlank();
    assertThat(socket.isClosed()).isFalse();
    JsonObject welcome = socket.enterRoom(id);
    assertThat(welcome.getString("user")).isEqualTo(alice.id());
  }

  @Test
  @DisplayName("a frame of an unknown type gets an err frame, and the socket keeps working")
  void unknownFrameType(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Still robust").getString("id");
    BridgeSocket socket = alice.connect(vertx);

    socket.send(new JsonObject().put("type", "teleport").put("address", "chat.room." + id));

    assertThat(socket.awaitFrame("an err frame", f -> "err".equals(f.getString("type")))).isNotNull();
    assertThat(socket.enterRoom(id).getString("room")).isEqualTo(id);
  }
}
