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
import roombus.XhrPollingClient;

@ExtendWith(VertxExtension.class)
@DisplayName("A client that can only do plain HTTP chats over SockJS xhr-polling")
class XhrPollingTest {

  @StartHub private static TestHub hub;

  @Test
  @DisplayName(
      "it enters, receives the room's messages, posts with an acknowledgement, and is refused what is not allowed")
  void chatsOverXhrPolling(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Polling").getString("id");
    String room = "chat.room." + id;
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    assertThat(bob.enter(id).status()).isEqualTo(200);

    try (XhrPollingClient polling = new XhrPollingClient(vertx, List.of(hub.base()), bob.sid())) {
      polling.send(new JsonObject().put("type", "register").put("address", room));
      JsonObject welcome = polling.awaitMessage(room, m -> "welcome".equals(m.getString("type")));
      assertThat(welcome.getString("user")).isEqualTo(bob.id());
      aliceSocket.awaitMessage(
          room, m -> "join".equals(m.getString("type")) && bob.id().equals(m.getString("user")));

      alice.say(id, "can you hear me?");
      polling.awaitMessage(room, m -> "can you hear me?".equals(m.getString("chat")));

      polling.send(
          new JsonObject()
              .put("type", "send")
              .put("address", room)
              .put("replyAddress", "r1")
              .put("body", new JsonObject().put("chat", "loud and clear").put("user", alice.id())));
      JsonObject ack = polling.awaitFrame(f -> "r1".equals(f.getString("address")));
      assertThat(ack.getJsonObject("body").getString("user")).isEqualTo(bob.id());
      aliceSocket.awaitMessage(
          room,
          m ->
              "loud and clear".equals(m.getString("chat")) && bob.id().equals(m.getString("user")));

      polling.send(
          new JsonObject()
              .put("type", "publish")
              .put("address", room)
              .put("body", new JsonObject().put("chat", "x")));
      assertThat(polling.awaitFrame(f -> "err".equals(f.getString("type"))).getString("body"))
          .isEqualTo("access_denied");
    }
  }
}
