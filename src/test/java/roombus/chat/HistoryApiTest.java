package roombus.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.Reply;
import roombus.TestHub.User;

@DisplayName("Posting text and reading history over HTTP")
class HistoryApiTest {

  @StartHub private static TestHub hub;

  /** A room with 120 messages, "message 1" … "message 120", seq 1 … 120. */
  private static String busyRoom;

  @BeforeAll
  static void postMessages() {
    User alice = hub.newUser();
    busyRoom =
        alice
            .createRoom("Busy", 100, null)
            .getString("id"); // room for every reader: entering takes a seat
    for (int i = 1; i <= 120; i++) {
      Reply posted = alice.say(busyRoom, "message " + i);
      if (posted.status() != 201) throw new IllegalStateException("Posting: " + posted);
    }
  }

  private static List<Long> seqs(JsonArray messages) {
    return messages.stream().map(JsonObject.class::cast).map(m -> m.getLong("seq")).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  @DisplayName("entering a room answers its newest 50 messages, oldest first")
  void enterGivesNewest50() {
    JsonArray chats = hub.newUser().enter(busyRoom).json().getJsonArray("chats");

    assertThat(seqs(chats)).isEqualTo(range(71, 120));
    assertThat(chats.getJsonObject(0).getString("chat")).isEqualTo("message 71");
    assertThat(chats.getJsonObject(49).getString("chat")).isEqualTo("message 120");
  }

  @Test
  @DisplayName("?before=<seq>&limit=n pages back through older messages, oldest first")
  void olderPages() {
    User bob = hub.newUser();
    bob.enter(busyRoom);

    Reply page = bob.get("/api/rooms/" + busyRoom + "/chats?before=71&limit=50");
    Reply oldest = bob.get("/api/rooms/" + busyRoom + "/chats?before=21&limit=50");
    Reply small = bob.get("/api/rooms/" + busyRoom + "/chats?before=100&limit=3");
    Reply defaultSize = bob.get("/api/rooms/" + busyRoom + "/chats?before=101");

    assertThat(page.status()).isEqualTo(200);
    assertThat(seqs(page.array())).isEqualTo(range(21, 70));
    assertThat(seqs(oldest.array())).isEqualTo(range(1, 20));
    assertThat(seqs(small.array())).isEqualTo(range(97, 99));
    assertThat(seqs(defaultSize.array())).isEqualTo(range(51, 100));
    assertThat(bob.get("/api/rooms/" + busyRoom + "/chats?before=1").array()).isEmpty();
  }

  @Test
  @DisplayName(
      "?after=<seq> answers everything newer, oldest first (the catch-up after a reconnect)")
  void catchUp() {
    User bob = hub.newUser();
    bob.enter(busyRoom);

    assertThat(seqs(bob.get("/api/rooms/" + busyRoom + "/chats?after=100").array()))
        .isEqualTo(range(101, 120));
    assertThat(seqs(bob.get("/api/rooms/" + busyRoom + "/chats?after=0").array()))
        .isEqualTo(range(1, 120));
    assertThat(bob.get("/api/rooms/" + busyRoom + "/chats?after=120").array()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("a nonsensical page request answers 400")
  @ValueSource(
      strings = {"?before=abc", "?after=1x", "?before=10&after=5", "?limit=0", "?limit=101"})
  void badPages(String query) {
    User bob = hub.newUser();
    bob.enter(busyRoom);

    Reply reply = bob.get("/api/rooms/" + busyRoom + "/chats" + query);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getString("error")).isNotBlank();
  }

  @Test
  @DisplayName("a session that did not enter the room may neither read nor post: 403")
  void notEntered() {
    User mallory = hub.newUser();

    Reply read = mallory.get("/api/rooms/" + busyRoom + "/chats");
    Reply catchUp = mallory.get("/api/rooms/" + busyRoom + "/chats?after=0");
    Reply post = mallory.say(busyRoom, "let me in");

    assertThat(read.status()).isEqualTo(403);
    assertThat(read.json().getString("error")).isNotBlank();
    assertThat(catchUp.status()).isEqualTo(403);
    assertThat(post.status()).isEqualTo(403);
    assertThat(post.json().getString("error")).isNotBlank();
    assertThat(post.text()).doesNotContain("let me in");
  }

  @Test
  @DisplayName(
      "a posted message answers 201 with the stored message, as the session's user, with the next seq")
  void posted() {
    User alice = hub.newUser();
    String id = alice.createRoom("Posting").getString("id");

    Reply first =
        alice.post(
            "/api/rooms/" + id + "/chats",
            new JsonObject()
                .put("chat", "hello <b>world</b>")
                .put("user", "someone-else")
                .put("seq", 99));
    Reply second = alice.say(id, "again");

    assertThat(first.status()).isEqualTo(201);
    JsonObject message = first.json();
    assertThat(message.getString("type")).isEqualTo("chat");
    assertThat(message.getString("id")).isNotBlank();
    assertThat(message.getLong("seq")).isEqualTo(1L);
    assertThat(message.getString("room")).isEqualTo(id);
    assertThat(message.getString("user")).isEqualTo(alice.id());
    assertThat(message.getString("color")).isEqualTo(alice.color());
    assertThat(message.getString("chat")).isEqualTo("hello <b>world</b>");
    assertThat(message.getString("createdAt")).isNotBlank();
    assertThat(second.json().getLong("seq")).isEqualTo(2L);
    assertThat(alice.history(id).array()).containsExactly(message, second.json());
  }

  @Test
  @DisplayName("a message of exactly 1000 characters is accepted")
  void longestMessage() {
    User alice = hub.newUser();
    String id = alice.createRoom("Long").getString("id");

    Reply reply = alice.say(id, "x".repeat(1000));

    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.json().getString("chat")).hasSize(1000);
  }

  @ParameterizedTest(name = "body [{0}]")
  @DisplayName(
      "an empty, blank, missing, non-text or too long (1001 characters) message answers 400 and stores nothing")
  @ValueSource(
      strings = {
        "{\"chat\": \"\"}",
        "{\"chat\": \"   \"}",
        "{}",
        "{\"chat\": 42}",
        "{\"chat\": null}",
        "LONG",
        "{broken json",
        ""
      })
  void badMessages(String body) {
    User alice = hub.newUser();
    String id = alice.createRoom("Strict").getString("id");
    String json =
        body.equals("LONG") ? new JsonObject().put("chat", "y".repeat(1001)).encode() : body;

    Reply reply = alice.postRaw("/api/rooms/" + id + "/chats", json);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getString("error")).isNotBlank();
    assertThat(alice.history(id).array()).isEmpty();
  }

  @Test
  @DisplayName("posting to a room that does not exist answers 403: nobody can have entered it")
  void unknownRoom() {
    Reply reply = hub.newUser().say("NoSuchRoom3", "hello?");

    assertThat(reply.status()).isEqualTo(403);
  }
}
