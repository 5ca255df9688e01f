package roombus.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.Reply;
import roombus.TestHub.User;

/**
 * A client that is not sure its post arrived (the connection dropped before the answer) sends it
 * again with the same idempotency key: the hub stores it once and answers the message stored the
 * first time.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("A post sent again with the same key is stored once, whatever the route")
class IdempotentPostTest {

  @StartHub private static TestHub hub;

  private static JsonObject post(User who, String room, String chat, String key) {
    Reply reply =
        who.post(
            "/api/rooms/" + room + "/chats", new JsonObject().put("chat", chat).put("key", key));
    assertThat(reply.status()).as("%s", reply).isEqualTo(201);
    return reply.json();
  }

  private static List<JsonObject> stored(User reader, String room, String chat) {
    return reader.history(room).array().stream()
        .map(JsonObject.class::cast)
        .filter(m -> chat.equals(m.getString("chat")))
        .toList();
  }

  @Test
  @DisplayName(
      "over HTTP: the repeat answers the same message (same id and seq), and the history holds it once")
  void httpRepeat() {
    User alice = hub.newUser();
    String id = alice.createRoom("Twice").getString("id");
    String key = UUID.randomUUID().toString();

    JsonObject first = post(alice, id, "only once please", key);
    JsonObject again = post(alice, id, "only once please", key);

    assertThat(again.getString("id")).isEqualTo(first.getString("id"));
    assertThat(again.getLong("seq")).isEqualTo(first.getLong("seq"));
    assertThat(first.getString("key")).isEqualTo(key);
    assertThat(stored(alice, id, "only once please")).hasSize(1);
  }

  @Test
  @DisplayName("the same key from another user, or in another room, is another message")
  void keysBelongToTheirAuthorAndRoom() {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Shared keys").getString("id");
    String other = alice.createRoom("Other room").getString("id");
    bob.enter(id);
    String key = UUID.randomUUID().toString();

    JsonObject fromAlice = post(alice, id, "same key", key);
    JsonObject fromBob = post(bob, id, "same key", key);
    JsonObject elsewhere = post(alice, other, "same key", key);

    assertThat(fromBob.getString("id")).isNotEqualTo(fromAlice.getString("id"));
    assertThat(elsewhere.getString("id")).isNotEqualTo(fromAlice.getString("id"));
    assertThat(stored(alice, id, "same key")).hasSize(2);
  }

  @Test
  @DisplayName(
      "over the bridge and then over HTTP: the room receives the message once, and the repeat's answer is the first message")
  void bridgeThenHttp(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Any route").getString("id");
    String room = "chat.room." + id;
    bob.enter(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    String key = UUID.randomUUID().toString();
    JsonObject body = new JsonObject().put("chat", "sent while the line wobbled").put("key", key);

    aliceSocket.send(
        new JsonObject()
            .put("type", "send")
            .put("address", room)
            .put("replyAddress", "r1")
            .put("body", body));
    aliceSocket.send(
        new JsonObject()
            .put("type", "send")
            .put("address", room)
            .put("replyAddress", "r2")
            .put("body", body));
    JsonObject first = aliceSocket.awaitMessage("r1", m -> true);
    JsonObject second = aliceSocket.awaitMessage("r2", m -> true);
    JsonObject overHttp = post(alice, id, "sent while the line wobbled", key);

    assertThat(second.getString("id")).isEqualTo(first.getString("id"));
    assertThat(overHttp.getString("id")).isEqualTo(first.getString("id"));
    alice.say(id, "marker"); // everything published before it has reached Bob once it arrives
    bobSocket.awaitMessage(room, m -> "marker".equals(m.getString("chat")));
    assertThat(bobSocket.messages(room)).filteredOn(m -> key.equals(m.getString("key"))).hasSize(1);
    assertThat(stored(bob, id, "sent while the line wobbled")).hasSize(1);
  }

  @Test
  @DisplayName(
      "repeats racing with other posts: each key stored once, and the room's numbers have no gap")
  void racingRepeats() throws Exception {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Race").getString("id");
    bob.enter(id);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 10; i++) keys.add(UUID.randomUUID().toString());
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> posts = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < keys.size(); i++) {
          int n = i;
          posts.add(pool.submit(() -> post(alice, id, "keyed " + n, keys.get(n))));
          posts.add(pool.submit(() -> bob.say(id, "unkeyed")));
        }
      }
      for (Future<?> post : posts) post.get();
    } finally {
      pool.shutdownNow();
    }

    List<JsonObject> history =
        alice.history(id).array().stream().map(JsonObject.class::cast).toList();
    for (int i = 0; i < keys.size(); i++)
      assertThat(stored(alice, id, "keyed " + i)).as("keyed %d", i).hasSize(1);
    assertThat(history).filteredOn(m -> "unkeyed".equals(m.getString("chat"))).hasSize(30);
    assertThat(history.stream().map(m -> m.getLong("seq")).toList())
        .isEqualTo(LongStream.rangeClosed(1, history.size()).boxed().toList());
  }

  @Test
  @DisplayName(
      "a whisper sent again with its key is stored once, for its two users, even when the repeat comes after the recipient left")
  void whisperRepeat(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Psst twice").getString("id");
    bob.enter(id);
    alice.connect(vertx).enterRoom(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);
    JsonObject whisper =
        new JsonObject().put("chat", "just once").put("to", bob.id()).put("key", "whisper-key-1");

    Reply first = alice.post("/api/rooms/" + id + "/chats", whisper);
    Reply again = alice.post("/api/rooms/" + id + "/chats", whisper);
    bobSocket.unregister("chat.room." + id);
    TestHub.eventually(
        () ->
            assertThat(alice.get("/api/rooms/" + id).json().getJsonArray("participants"))
                .hasSize(1));
    Reply afterBobLeft = alice.post("/api/rooms/" + id + "/chats", whisper);

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.json().getString("id")).isEqualTo(first.json().getString("id"));
    assertThat(afterBobLeft.status()).as("%s", afterBobLeft).isEqualTo(201);
    assertThat(afterBobLeft.json().getString("id")).isEqualTo(first.json().getString("id"));
    assertThat(
            bob.history(id).array().stream()
                .map(JsonObject.class::cast)
                .filter(m -> "just once".equals(m.getString("chat"))))
        .hasSize(1);
    // a new whisper to someone who left is refused
    Reply fresh =
        alice.post("/api/rooms/" + id + "/chats", whisper.copy().put("key", "whisper-key-2"));
    assertThat(fresh.status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a key that is not short text is refused with 400 and nothing is stored")
  void badKey() {
    User alice = hub.newUser();
    String id = alice.createRoom("Bad keys").getString("id");

    for (Object key : new Object[] {"", "x".repeat(65), "has space", 42}) {
      Reply reply =
          alice.post(
              "/api/rooms/" + id + "/chats",
              new JsonObject().put("chat", "keyed badly").put("key", key));
      assertThat(reply.status()).as("key %s", key).isEqualTo(400);
      assertThat(reply.json().getString("error")).contains("'key'");
    }
    assertThat(stored(alice, id, "keyed badly")).isEmpty();
  }
}
