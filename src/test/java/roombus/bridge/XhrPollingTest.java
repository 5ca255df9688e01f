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

  /**
   * Two HTTP event loops (the test default): a poll can come in on another loop than its session.
   */
  @StartHub private static TestHub hub;

  @Test
  @DisplayName(
      "it enters, receives the room's messages, posts with an acknowledgement, and is refused what is not allowed")
  void chatsOverXhrPolling(Vertx vertx) {
    chat(vertx, hub);
  }

  @Test
  @DisplayName("the same on one HTTP event loop, where the HTTP server runs in strict thread mode")
  void chatsOverXhrPollingOnOneLoop(
      Vertx vertx, @StartHub(settings = "HTTP_INSTANCES=1") TestHub oneLoop) {
    chat(vertx, oneLoop);
  }

  @Test
  @DisplayName(
      "a poll held through the SockJS heartbeat (25 s) is answered by it, and the next poll carries the next message, on one HTTP event loop")
  void pollThroughHeartbeatOnOneLoop(
      Vertx vertx, @StartHub(settings = "HTTP_INSTANCES=1") TestHub oneLoop)
      throws InterruptedException {
    // in strict thread mode a write from another event loop is refused: the heartbeat, written by
    // the session's timer to whatever poll is waiting, must come from the poll's own loop
    User alice = oneLoop.newUser();
    User bob = oneLoop.newUser();
    String id = alice.createRoom("Quiet").getString("id");
    String room = "chat.room." + id;
    assertThat(bob.enter(id).status()).isEqualTo(200);
    try (XhrPollingClient polling =
        new XhrPollingClient(vertx, List.of(oneLoop.base()), bob.sid())) {
      polling.send(new JsonObject().put("type", "register").put("address", room));
      polling.awaitMessage(room, m -> "welcome".equals(m.getString("type")));
      int requests = polling.served().size();
      // 27 s of quiet, under PING_TIMEOUT_MS (30 s): the heartbeat answers the held poll, and the
      // client polls again
      Thread.sleep(27_000);
      assertThat(polling.served()).hasSizeGreaterThan(requests);
      alice.say(id, "still there?");
      polling.awaitMessage(room, m -> "still there?".equals(m.getString("chat")));
    }
  }

  private static void chat(Vertx vertx, TestHub hub) {
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
