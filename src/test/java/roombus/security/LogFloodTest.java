package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;

@ExtendWith(VertxExtension.class)
@DisplayName("A misbehaving client costs the log a few lines, never one per message or per attempt")
class LogFloodTest {

  /**
   * Long enough that no socket of these tests is closed for being idle: only for being slow. The
   * register/unregister pairs go as fast as the socket writes: far more frames than a client may
   * send a second (FrameFloodTest covers that limit), which would drop most of them.
   */
  @StartHub(settings = {"PING_TIMEOUT_MS=300000", "FRAMES_PER_SECOND=100000"})
  private static TestHub hub;

  @Test
  @DisplayName(
      "ten websockets that stop reading while their room is busy are closed as too slow, logged in a few lines")
  void slowSockets(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Busy room", 100, null).getString("id");
    String room = "chat.room." + id;
    BridgeSocket watcher = alice.connect(vertx);
    watcher.enterRoom(id);
    assertThat(bob.enter(id).status()).isEqualTo(200);
    List<DeadPeer> stalled = new ArrayList<>();
    try (CapturedLog log = CapturedLog.start()) {
      for (int i = 0; i < 10; i++) stalled.add(DeadPeer.rawWebSocket(hub.base(), bob.sid(), room));
      watcher.awaitMessage(
          room, m -> "join".equals(m.getString("type")) && bob.id().equals(m.getString("user")));

      // alice talks until the hub has given up on all of bob's sockets (bob then leaves), and a
      // while more
      int rounds = 0;
      while (!hasLeft(watcher, room, bob) && rounds++ < 300) talk(alice, id, 100, "x".repeat(1000));
      assertThat(hasLeft(watcher, room, bob)).as("bob's stalled sockets were all closed").isTrue();
      talk(alice, id, 500, "and then some");
      watcher.sync();

      assertThat(log.linesContaining("keep up"))
          .as("lines about slow sockets")
          .hasSizeLessThanOrEqualTo(3);
      assertThat(log.stackFrames()).isEmpty();
      assertThat(log.lines()).as("everything logged").hasSizeLessThan(10);
    } finally {
      stalled.forEach(DeadPeer::close);
    }
  }

  @Test
  @DisplayName(
      "200 register/unregister pairs on a room log no warning and no stack trace, and the socket still gets the room's messages")
  void registerUnregisterPairs(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Revolving door").getString("id");
    String room = "chat.room." + id;
    assertThat(bob.enter(id).status()).isEqualTo(200);
    BridgeSocket fidget = bob.connect(vertx);

    try (CapturedLog log = CapturedLog.start()) {
      for (int i = 0; i < 200; i++) {
        fidget.register(room);
        fidget.unregister(room);
      }
      fidget.sync();
      long welcomes = welcomes(fidget, room);
      fidget.register(room);
      TestHub.eventually(
          () -> assertThat(welcomes(fidget, room)).as("welcomes").isGreaterThan(welcomes));
      assertThat(alice.say(id, "still with us?").status()).isEqualTo(201);
      fidget.awaitMessage(room, m -> "still with us?".equals(m.getString("chat")));

      assertThat(log.warnings()).as("warnings and errors logged").isEmpty();
      assertThat(log.stackFrames()).as("stack traces logged").isEmpty();
    }
  }

  @Test
  @DisplayName(
      "50 websocket upgrades without a cookie, each trying a room, cost a few throttled refusal lines, no error")
  void cookielessUpgrades(Vertx vertx) {
    String id = hub.newUser().createRoom("No cookies here").getString("id");

    try (CapturedLog log = CapturedLog.start()) {
      for (int i = 0; i < 50; i++) {
        try (BridgeSocket stranger = User.anonymous(hub.base()).connect(vertx)) {
          stranger.register("chat.room." + id);
          stranger.awaitError("chat.room." + id);
        }
      }

      // refusals are logged at WARN with their reason (operations want them), at most a line a
      // second
      // per reason, the next one counting those left out
      assertThat(log.warnings())
          .as("warnings and errors logged")
          .allMatch(
              line ->
                  line.contains("WARN")
                      && line.contains("event=bridge_refused reason=access_denied"))
          .hasSizeLessThanOrEqualTo(5);
      assertThat(log.stackFrames()).as("stack traces logged").isEmpty();
    }
  }

  @Test
  @DisplayName(
      "100 oversized SockJS sends and 100 requests for files that do not exist are answered 413 and 404, and log nothing")
  void refusedRequestsAreQuiet() {
    String eventbus =
        hub.base() + "/eventbus/123/" + UUID.randomUUID().toString().substring(0, 8) + "/xhr_send";
    String tooLong = "[\"" + "x".repeat(100 * 1024) + "\"]";

    try (CapturedLog log = CapturedLog.start()) {
      assertThat(
              Flood.send(
                  100,
                  4,
                  i ->
                      Flood.request(eventbus)
                          .header("Content-Type", "text/plain")
                          .POST(HttpRequest.BodyPublishers.ofString(tooLong))
                          .build()))
          .containsOnlyKeys(413);
      assertThat(
              Flood.send(
                  100,
                  4,
                  i ->
                      Flood.request(hub.base() + "/no/such/" + UUID.randomUUID() + ".css")
                          .GET()
                          .build()))
          .containsOnlyKeys(404);

      assertThat(log.warnings()).as("warnings and errors logged").isEmpty();
    }
  }

  /** {@code count} posts of {@code text} by {@code who}, a few at a time. */
  private static void talk(User who, String roomId, int count, String text) {
    String body = new JsonObject().put("chat", text).encode();
    assertThat(
            Flood.send(
                count,
                8,
                i ->
                    Flood.request(hub.base() + "/api/rooms/" + roomId + "/chats")
                        .header("Cookie", "roombus.sid=" + who.sid())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build()))
        .containsOnlyKeys(201);
  }

  private static long welcomes(BridgeSocket socket, String room) {
    return socket.messages(room).stream()
        .filter(m -> "welcome".equals(m.getString("type")))
        .count();
  }

  private static boolean hasLeft(BridgeSocket watcher, String room, User who) {
    return watcher.messages(room).stream()
        .anyMatch(m -> "exit".equals(m.getString("type")) && who.id().equals(m.getString("user")));
  }
}
