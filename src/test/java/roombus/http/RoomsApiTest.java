package roombus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.Reply;
import roombus.TestHub.User;

@DisplayName("Rooms over HTTP: create, list, enter with a password, delete")
class RoomsApiTest {

  @StartHub private static TestHub hub;

  private static JsonObject listed(User who, String roomId) {
    JsonArray rooms = who.get("/api/rooms").array();
    return rooms.stream()
        .map(JsonObject.class::cast)
        .filter(r -> roomId.equals(r.getString("id")))
        .findFirst()
        .orElse(null);
  }

  @Nested
  @DisplayName("POST /api/rooms")
  class Create {

    @Test
    @DisplayName("answers 201 with the room: id, title, max, owner, locked, count and createdAt")
    void created() {
      User alice = hub.newUser();

      Reply reply = alice.post("/api/rooms", new JsonObject().put("title", "Cats").put("max", 5));

      assertThat(reply.status()).isEqualTo(201);
      assertThat(reply.header("Content-Type")).startsWith("application/json");
      JsonObject room = reply.json();
      assertThat(room.fieldNames())
          .contains("id", "title", "max", "owner", "locked", "count", "createdAt");
      assertThat(room.getString("id")).isNotBlank();
      assertThat(room.getString("title")).isEqualTo("Cats");
      assertThat(room.getInteger("max")).isEqualTo(5);
      assertThat(room.getString("owner")).isEqualTo(alice.id());
      assertThat(room.getBoolean("locked")).isFalse();
      assertThat(room.getInteger("count")).isZero();
      assertThat(room.getString("createdAt")).isNotBlank();
    }

    @Test
    @DisplayName("a room without max admits 10")
    void defaultMax() {
      assertThat(hub.newUser().createRoom("Default size").getInteger("max")).isEqualTo(10);
    }

    @Test
    @DisplayName("a title of exactly 100 characters and a max of 2 or 100 are accepted")
    void limitsAccepted() {
      User alice = hub.newUser();
      assertThat(alice.post("/api/rooms", new JsonObject().put("title", "t".repeat(100))).status())
          .isEqualTo(201);
      assertThat(
              alice
                  .post("/api/rooms", new JsonObject().put("title", "pair").put("max", 2))
                  .status())
          .isEqualTo(201);
      assertThat(
              alice
                  .post("/api/rooms", new JsonObject().put("title", "hall").put("max", 100))
                  .status())
          .isEqualTo(201);
    }

    @ParameterizedTest(name = "body [{0}]")
    @DisplayName("a bad room request answers 400 with an error message, and creates nothing")
    @ValueSource(
        strings = {
          "{}",
          "{\"title\": \"\"}",
          "{\"title\": \"   \"}",
          "{\"title\": 42}",
          "{\"title\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}",
          "{\"title\": \"ok\", \"max\": 1}",
          "{\"title\": \"ok\", \"max\": 101}",
          "{\"title\": \"ok\", \"max\": 2.5}",
          "{\"title\": \"ok\", \"max\": \"5\"}",
          "{\"title\": \"ok\", \"password\": 1234}",
          "{not json",
          "[\"title\"]",
          ""
        })
    void badRequests(String body) {
      User alice = hub.newUser();
      int before = alice.get("/api/rooms").array().size();

      Reply reply = alice.postRaw("/api/rooms", body);

      assertThat(reply.status()).isEqualTo(400);
      assertThat(reply.header("Content-Type")).startsWith("application/json");
      assertThat(reply.json().getString("error")).isNotBlank();
      assertThat(alice.get("/api/rooms").array().size()).isEqualTo(before);
    }
  }

  @Nested
  @DisplayName("GET /api/rooms")
  class ListRooms {

    @Test
    @DisplayName("lists a new room with its public fields, as any visitor sees it")
    void listsNewRoom() {
      User alice = hub.newUser();
      JsonObject created = alice.createRoom("Listed room", 7, null);

      JsonObject seen = listed(hub.newUser(), created.getString("id"));

      assertThat(seen).isNotNull();
      assertThat(seen.fieldNames())
          .contains("id", "title", "max", "owner", "locked", "count", "createdAt");
      assertThat(seen.getString("title")).isEqualTo("Listed room");
      assertThat(seen.getInteger("max")).isEqualTo(7);
      assertThat(seen.getString("owner")).isEqualTo(alice.id());
      assertThat(seen.getBoolean("locked")).isFalse();
      assertThat(seen.getInteger("count")).isZero();
      assertThat(seen.getString("createdAt")).isEqualTo(created.getString("createdAt"));
    }
  }

  @Nested
  @DisplayName("A room with a password")
  class Password {

    private static final String SECRET = "tr0ub4dor&3";

    @Test
    @DisplayName("is shown locked, and neither the password nor its hash appears in any answer")
    void neverShown() {
      User alice = hub.newUser();
      Reply created =
          alice.post("/api/rooms", new JsonObject().put("title", "Locked").put("password", SECRET));
      String id = created.json().getString("id");
      User bob = hub.newUser();

      List<Reply> answers =
          List.of(
              created,
              bob.get("/api/rooms"),
              bob.get("/api/rooms/" + id),
              bob.enter(id, SECRET),
              bob.get("/api/rooms/" + id + "/chats"),
              alice.enter(id));

      assertThat(created.json().getBoolean("locked")).isTrue();
      assertThat(listed(bob, id).getBoolean("locked")).isTrue();
      for (Reply answer : answers) {
        assertThat(answer.status()).as(answer.toString()).isLessThan(300);
        assertThat(answer.text())
            .doesNotContain(SECRET)
            .doesNotContainIgnoringCase("password")
            .doesNotContain("$2a$")
            .doesNotContain("$2b$")
            .doesNotContain("$2y$");
      }
    }

    @Test
    @DisplayName("admits with the right password, and answers 403 without it or with a wrong one")
    void checked() {
      User alice = hub.newUser();
      String id = alice.createRoom("Locked too", null, SECRET).getString("id");
      User bob = hub.newUser();

      Reply none = bob.enter(id);
      Reply wrong = bob.enter(id, "guess");
      Reply chatsBefore = bob.get("/api/rooms/" + id + "/chats");
      Reply right = bob.enter(id, SECRET);

      assertThat(none.status()).isEqualTo(403);
      assertThat(none.json().getString("error")).isNotBlank();
      assertThat(wrong.status()).isEqualTo(403);
      assertThat(wrong.json().getString("error")).isNotBlank();
      assertThat(chatsBefore.status()).isEqualTo(403);
      assertThat(right.status()).isEqualTo(200);
      assertThat(bob.get("/api/rooms/" + id + "/chats").status()).isEqualTo(200);
    }

    @Test
    @DisplayName("lets its owner in without asking for the password again")
    void ownerIsIn() {
      User alice = hub.newUser();
      String id = alice.createRoom("Mine", null, SECRET).getString("id");

      assertThat(alice.enter(id).status()).isEqualTo(200);
    }
  }

  @Nested
  @DisplayName("POST /api/rooms/:id/enter")
  class Enter {

    @Test
    @DisplayName("answers 200 with the room and its history")
    void entered() {
      User alice = hub.newUser();
      String id = alice.createRoom("Open room", 4, null).getString("id");
      alice.say(id, "first!");
      User bob = hub.newUser();

      Reply reply = bob.enter(id);

      assertThat(reply.status()).isEqualTo(200);
      JsonObject body = reply.json();
      assertThat(body.getJsonObject("room").getString("id")).isEqualTo(id);
      assertThat(body.getJsonObject("room").getString("title")).isEqualTo("Open room");
      assertThat(body.getJsonObject("room").getInteger("max")).isEqualTo(4);
      assertThat(body.getJsonArray("chats")).hasSize(1);
      JsonObject chat = body.getJsonArray("chats").getJsonObject(0);
      assertThat(chat.getString("chat")).isEqualTo("first!");
      assertThat(chat.getString("user")).isEqualTo(alice.id());
      assertThat(chat.getLong("seq")).isEqualTo(1L);
    }

    @Test
    @DisplayName("answers 404 for a room that does not exist")
    void unknown() {
      Reply reply = hub.newUser().enter("NoSuchRoom1");

      assertThat(reply.status()).isEqualTo(404);
      assertThat(reply.json().getString("error")).isNotBlank();
    }
  }

  @Nested
  @DisplayName("DELETE /api/rooms/:id")
  class Delete {

    @Test
    @DisplayName("by the owner answers 204: the room leaves the list and cannot be entered (404)")
    void byOwner() {
      User alice = hub.newUser();
      String id = alice.createRoom("Short-lived").getString("id");
      alice.say(id, "soon gone");

      Reply reply = alice.delete("/api/rooms/" + id);

      assertThat(reply.status()).isEqualTo(204);
      assertThat(listed(alice, id)).isNull();
      assertThat(hub.newUser().enter(id).status()).isEqualTo(404);
      assertThat(alice.enter(id).status()).isEqualTo(404);
      assertThat(alice.history(id).status()).isEqualTo(404);
    }

    @Test
    @DisplayName("by anybody else answers 403 and the room stays")
    void byOther() {
      User alice = hub.newUser();
      String id = alice.createRoom("Alice's").getString("id");
      User mallory = hub.newUser();
      mallory.enter(id);

      Reply reply = mallory.delete("/api/rooms/" + id);

      assertThat(reply.status()).isEqualTo(403);
      assertThat(reply.json().getString("error")).isNotBlank();
      assertThat(listed(alice, id)).isNotNull();
      assertThat(mallory.enter(id).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("of a room that does not exist answers 404")
    void unknown() {
      assertThat(hub.newUser().delete("/api/rooms/NoSuchRoom2").status()).isEqualTo(404);
    }
  }
}
