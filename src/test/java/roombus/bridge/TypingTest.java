package roombus.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;

@ExtendWith(VertxExtension.class)
@DisplayName("\"… is typing\": sent to the others in the room, never stored, limited per user")
class TypingTest {

  @StartHub private static TestHub hub;

  private static JsonObject typing(String room) {
    return new JsonObject()
        .put("type", "send")
        .put("address", room)
        .put("body", new JsonObject().put("typing", true));
  }

  private static boolean isTyping(JsonObject body) {
    return "typing".equals(body.getString("type"));
  }

  @Test
  @DisplayName(
      "the others in the room see who is typing; the typist, the room list and other rooms do not; nothing is stored")
  void othersInTheRoomOnly(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    User dave = hub.newUser();
    String id = alice.createRoom("Typing").getString("id");
    String elsewhere = dave.createRoom("Elsewhere").getString("id");
    String room = "chat.room." + id;
    bob.enter(id);
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);
    BridgeSocket daveSocket = dave.connect(vertx).listenToRoomList();
    daveSocket.enterRoom(elsewhere);
    int storedBefore = alice.history(id).array().size();

    aliceSocket.send(typing(room));

    JsonObject seen = bobSocket.awaitMessage(room, TypingTest::isTyping);
    assertThat(seen.getString("user")).isEqualTo(alice.id());
    assertThat(seen.getString("color")).isEqualTo(alice.color());
    assertThat(seen.getBoolean("typing")).isTrue();
    assertThat(seen.containsKey("seq")).isFalse();
    alice.say(
        id,
        "marker"); // published after the typing signal: once all have it, the signal went where it
    // goes
    aliceSocket.awaitMessage(room, m -> "marker".equals(m.getString("chat")));
    bobSocket.awaitMessage(room, m -> "marker".equals(m.getString("chat")));
    assertThat(aliceSocket.messages(room)).noneMatch(TypingTest::isTyping);
    assertThat(daveSocket.frames().toString()).doesNotContain("typing");
    List<JsonObject> history =
        alice.history(id).array().stream().map(JsonObject.class::cast).toList();
    assertThat(history).hasSize(storedBefore + 1).noneMatch(TypingTest::isTyping);
  }

  @Test
  @DisplayName("a flood of typing signals is cut down by the hub")
  void flood(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Flood").getString("id");
    String room = "chat.room." + id;
    bob.enter(id);
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);

    for (int i = 0; i < 40; i++) aliceSocket.send(typing(room));
    aliceSocket.sync();
    alice.say(id, "marker");

    bobSocket.awaitMessage(room, m -> "marker".equals(m.getString("chat")));
    assertThat(bobSocket.messages(room).stream().filter(TypingTest::isTyping).count())
        .isBetween(1L, 20L);
    assertThat(aliceSocket.frames())
        .noneMatch(
            f ->
                "err".equals(f.getString("type"))
                    && !String.valueOf(f.getString("address"))
                        .startsWith("not.allowed.sync")); // dropped quietly
  }

  @Test
  @DisplayName("typing needs being in the room: a socket that has not joined it is refused")
  void notInTheRoom(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Not joined").getString("id");
    String room = "chat.room." + id;
    BridgeSocket socket = alice.connect(vertx);

    socket.send(typing(room).put("replyAddress", "t1"));

    JsonObject refused = socket.awaitError("t1");
    assertThat(refused.getInteger("failureCode")).isEqualTo(403);
  }
}
