package roombus.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.Reply;
import roombus.TestHub.User;

/**
 * Whispers are stored for their two users: they come back in the history of those two on every
 * route (entering, history pages, catch-up after a reconnect) and in nobody else's; the room's
 * public numbers stay gapless for everyone.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Whispers come back in the history of their two users, and of nobody else")
class WhisperHistoryTest {

  @StartHub private static TestHub hub;
  private static User alice;
  private static User bob;
  private static User carol;
  private static String id;

  /** What Alice and Bob whispered, in order. */
  private static final List<String> whispers = new ArrayList<>();

  /** Holds the three users' sockets, so that they are present (whispers go to present users). */
  private static Vertx sockets;

  @BeforeAll
  static void talk() {
    Vertx vertx = sockets = Vertx.vertx();
    alice = hub.newUser();
    bob = hub.newUser();
    carol = hub.newUser();
    id = alice.createRoom("Secrets", 10, null).getString("id");
    bob.enter(id);
    carol.enter(id);
    for (User who : List.of(alice, bob, carol)) who.connect(vertx).enterRoom(id);
    for (int i = 0; i < 30; i++) {
      alice.say(id, "public " + i);
      if (i % 10 == 3) whisper(alice, bob, "alice to bob " + i);
      if (i % 10 == 7) whisper(bob, alice, "bob to alice " + i);
    }
  }

  @AfterAll
  static void closeSockets() {
    TestHub.await(sockets.close(), java.time.Duration.ofSeconds(10));
  }

  private static void whisper(User from, User to, String text) {
    Reply reply =
        from.post(
            "/api/rooms/" + id + "/chats", new JsonObject().put("chat", text).put("to", to.id()));
    if (reply.status() != 201) throw new IllegalStateException("Whispering: " + reply);
    whispers.add(text);
  }

  private static List<JsonObject> objects(JsonArray array) {
    return array.stream().map(JsonObject.class::cast).toList();
  }

  private static List<String> whispersIn(List<JsonObject> messages) {
    return messages.stream()
        .filter(m -> "whisper".equals(m.getString("type")))
        .map(m -> m.getString("chat"))
        .toList();
  }

  private static List<Long> seqs(List<JsonObject> messages) {
    return messages.stream().filter(m -> m.containsKey("seq")).map(m -> m.getLong("seq")).toList();
  }

  @Test
  @DisplayName(
      "the whole history of each of the two holds every whisper between them, right after the message it followed")
  void wholeHistoryOfTheTwo() {
    for (User reader : List.of(alice, bob)) {
      List<JsonObject> history = objects(reader.history(id).array());
      assertThat(whispersIn(history)).isEqualTo(whispers);
      for (int i = 1; i < history.size(); i++) {
        JsonObject m = history.get(i);
        if (!"whisper".equals(m.getString("type"))) continue;
        JsonObject before = history.get(i - 1);
        long follows = before.containsKey("seq") ? before.getLong("seq") : before.getLong("after");
        assertThat(m.getLong("after"))
            .as("%s follows %s", m.getString("chat"), before.getString("chat"))
            .isEqualTo(follows);
        assertThat(m.containsKey("seq")).isFalse();
      }
    }
  }

  @Test
  @DisplayName("somebody else's history, on every route, has no whisper and no gap in its numbers")
  void nobodyElse(Vertx vertx) {
    List<JsonObject> history = objects(carol.history(id).array());
    List<JsonObject> newest = objects(carol.get("/api/rooms/" + id + "/chats").array());
    List<JsonObject> entered = objects(carol.enter(id).json().getJsonArray("chats"));
    BridgeSocket socket = carol.connect(vertx);
    socket.register("chat.room." + id, 0);
    long last = seqs(history).get(seqs(history).size() - 1);
    socket.awaitMessage("chat.room." + id, m -> m.getLong("seq", 0L) == last);

    for (List<JsonObject> page :
        List.of(history, newest, entered, socket.messages("chat.room." + id))) {
      assertThat(whispersIn(page)).isEmpty();
      List<Long> numbers = seqs(page);
      assertThat(numbers)
          .isEqualTo(
              LongStream.rangeClosed(numbers.get(0), numbers.get(numbers.size() - 1))
                  .boxed()
                  .toList());
    }
    assertThat(seqs(history).get(0)).isEqualTo(1);
    assertThat(socket.frames().toString())
        .doesNotContain("alice to bob")
        .doesNotContain("bob to alice");
  }

  @Test
  @DisplayName("paging back with before=, or forward with after=, meets each whisper exactly once")
  void paging() {
    List<String> back = new ArrayList<>();
    Long before = null;
    while (true) {
      List<JsonObject> page =
          objects(
              bob.get(
                      "/api/rooms/"
                          + id
                          + "/chats?limit=7"
                          + (before == null ? "" : "&before=" + before))
                  .array());
      if (page.isEmpty()) break;
      List<String> older = new ArrayList<>(whispersIn(page));
      older.addAll(back);
      back = older;
      before = seqs(page).get(0);
      if (before == 1) break;
    }
    assertThat(back).isEqualTo(whispers);

    List<String> forward = new ArrayList<>();
    long after = 0;
    while (true) {
      List<JsonObject> page =
          objects(alice.get("/api/rooms/" + id + "/chats?limit=7&after=" + after).array());
      forward.addAll(whispersIn(page));
      if (seqs(page).size() < 7) break;
      after = seqs(page).get(seqs(page).size() - 1);
    }
    assertThat(forward).isEqualTo(whispers);
  }

  @Test
  @DisplayName(
      "entering again and catching up after a reconnect bring the whispers back to their two users")
  void enterAndCatchUp(Vertx vertx) {
    assertThat(whispersIn(objects(bob.enter(id).json().getJsonArray("chats")))).isEqualTo(whispers);

    BridgeSocket socket = alice.connect(vertx);
    socket.register("chat.room." + id, 0);
    String lastWhisper = whispers.get(whispers.size() - 1);
    socket.awaitMessage("chat.room." + id, m -> lastWhisper.equals(m.getString("chat")));
    assertThat(whispersIn(socket.messages("chat.room." + id))).isEqualTo(whispers);
  }
}
