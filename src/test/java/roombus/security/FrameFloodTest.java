package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;

@ExtendWith(VertxExtension.class)
@DisplayName("One connection cannot flood the node with frames")
class FrameFloodTest {

  private static final int LIMIT = 50; // FRAMES_PER_SECOND's default

  @Test
  @DisplayName(
      "1,000 posts sent at once on one connection: those past 50 a second are dropped with err"
          + " frames; the room gets no more than the limit allows, the node serves the others, and"
          + " the connection works again once it slows down")
  void thousandAtOnce(Vertx vertx, @StartHub TestHub hub) {
    User mallory = hub.newUser();
    String id = mallory.createRoom("Flooded", 10, null).getString("id");
    String room = "chat.room." + id;
    User carol = hub.newUser();
    carol.enter(id);
    BridgeSocket carolSocket = carol.connect(vertx);
    carolSocket.enterRoom(id);
    BridgeSocket flood = mallory.connect(vertx);
    flood.enterRoom(id);

    long elapsedMs;
    try (Conversation others = Conversation.start(hub, vertx)) {
      long start = System.nanoTime();
      for (int i = 0; i < 1_000; i++)
        flood.send(
            new JsonObject()
                .put("type", "send")
                .put("address", room)
                .put("body", new JsonObject().put("chat", "flood " + i)));
      elapsedMs = (System.nanoTime() - start) / 1_000_000;

      JsonObject err =
          flood.awaitFrame(
              "an err frame about frames", f -> "rate_limited".equals(f.getString("body")));
      assertThat(err.getString("type")).isEqualTo("err");
      assertThat(err.getInteger("failureCode")).isEqualTo(429);
      assertThat(err.getString("message")).contains("frames");
      others.finish();
    }

    // every cycle of a second lets the limit through; the sending took elapsedMs
    long allowed = LIMIT * (elapsedMs / 1000 + 3) + 1;
    long stored = floodIn(mallory, id);
    assertThat(stored).as("flood posts stored (sent in %d ms)", elapsedMs).isLessThan(allowed);
    assertThat(stored).isLessThan(1_000);
    assertThat(flood.isClosed()).as("a burst does not close the connection").isFalse();

    // once it is calm again, the same connection posts as before
    String text = "calm again " + UUID.randomUUID();
    TestHub.eventually(() -> assertThat(postAndWait(flood, room, text)).isTrue());
    carolSocket.awaitMessage(room, m -> text.equals(m.getString("chat")));
    assertThat(carolSocket.messages(room).stream().filter(m -> isFlood(m.getString("chat"))))
        .as("flood messages carol got")
        .hasSizeLessThan((int) allowed);
  }

  @Test
  @DisplayName(
      "a connection that keeps sending more than ten times the limit for seconds is closed with"
          + " an err frame; another connection of the same user is not")
  void keepsFlooding(Vertx vertx, @StartHub(settings = "FRAMES_PER_SECOND=5") TestHub hub) {
    User mallory = hub.newUser();
    BridgeSocket calm = mallory.connect(vertx).listenToRoomList();
    BridgeSocket flood = mallory.connect(vertx);
    JsonObject ping = new JsonObject().put("type", "ping");

    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!flood.isClosed() && System.nanoTime() < deadline) {
      try {
        flood.send(ping);
      } catch (RuntimeException closed) {
        break; // closed under our feet
      }
    }

    TestHub.eventually(() -> assertThat(flood.isClosed()).isTrue());
    assertThat(flood.closeCode()).isEqualTo(4029);
    assertThat(flood.frames())
        .anyMatch(
            f ->
                "err".equals(f.getString("type"))
                    && f.getInteger("failureCode") == 4029
                    && f.getString("message").contains("frames"));
    assertThat(calm.isClosed()).isFalse();
    String id = hub.newUser().createRoom("Still served").getString("id");
    calm.awaitMessage(
        "chat.rooms", m -> "newRoom".equals(m.getString("type")) && id.equals(m.getString("id")));
  }

  private static boolean isFlood(String chat) {
    return chat != null && chat.startsWith("flood ");
  }

  private static long floodIn(User user, String roomId) {
    return user.history(roomId).array().stream()
        .map(JsonObject.class::cast)
        .filter(m -> isFlood(m.getString("chat")))
        .count();
  }

  /** Posts with a reply address and waits a moment for the reply; false if none came. */
  private static boolean postAndWait(BridgeSocket socket, String room, String text) {
    String reply = "reply-" + UUID.randomUUID();
    socket.send(
        new JsonObject()
            .put("type", "send")
            .put("address", room)
            .put("replyAddress", reply)
            .put("body", new JsonObject().put("chat", text)));
    return TestHub.poll(
            Duration.ofSeconds(1),
            () ->
                socket.frames().stream()
                    .filter(f -> reply.equals(f.getString("address")))
                    .findFirst()
                    .orElse(null))
        != null;
  }
}
