package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.Reply;
import roombus.TestHub.User;

@ExtendWith(VertxExtension.class)
@DisplayName("One user cannot flood the room list")
class RoomCreationFloodTest {

  @StartHub private static TestHub hub;

  @Test
  @DisplayName(
      "one user creating 30 rooms at once: 10 are created, the 11th and later answer 429 with"
          + " Retry-After, and a watcher of the room list hears of 10 new rooms only")
  void creationFlood(Vertx vertx) {
    BridgeSocket watcher = hub.newUser().connect(vertx).listenToRoomList();
    User mallory = hub.newUser();

    List<Reply> replies = new ArrayList<>();
    for (int i = 1; i <= 30; i++)
      replies.add(mallory.post("/api/rooms", new JsonObject().put("title", "Spam " + i)));

    assertThat(replies.subList(0, 10)).allMatch(r -> r.status() == 201, "created");
    assertThat(replies.subList(10, 30)).allMatch(r -> r.status() == 429, "refused with 429");
    Reply refused = replies.get(10);
    assertThat(refused.json().getString("error")).containsIgnoringCase("rooms");
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);

    // a room created afterwards by someone else marks the end of mallory's events on the list
    String marker = hub.newUser().createRoom("After the flood").getString("id");
    watcher.awaitMessage(
        "chat.rooms",
        m -> "newRoom".equals(m.getString("type")) && marker.equals(m.getString("id")));
    assertThat(
            watcher.messages("chat.rooms").stream()
                .filter(m -> "newRoom".equals(m.getString("type")))
                .filter(m -> mallory.id().equals(m.getJsonObject("room").getString("owner"))))
        .as("newRoom events of mallory's rooms")
        .hasSize(10);
    assertThat(mallory.get("/api/rooms").array().stream().map(JsonObject.class::cast))
        .filteredOn(room -> mallory.id().equals(room.getString("owner")))
        .hasSize(10);
  }

  @Test
  @DisplayName("another user still creates rooms while one is refused")
  void othersUnaffected() {
    User mallory = hub.newUser();
    for (int i = 1; i <= 11; i++) mallory.post("/api/rooms", new JsonObject().put("title", "x"));
    assertThat(mallory.post("/api/rooms", new JsonObject().put("title", "x")).status())
        .isEqualTo(429);

    assertThat(hub.newUser().post("/api/rooms", new JsonObject().put("title", "Mine")).status())
        .isEqualTo(201);
  }

  @Test
  @DisplayName("the limit is a setting: ROOMS_PER_MINUTE=2 refuses the third room")
  void setting(@StartHub(settings = "ROOMS_PER_MINUTE=2") TestHub strict) {
    User alice = strict.newUser();
    alice.createRoom("One");
    alice.createRoom("Two");

    assertThat(alice.post("/api/rooms", new JsonObject().put("title", "Three")).status())
        .isEqualTo(429);
    assertThat(strict.newUser().post("/api/rooms", new JsonObject().put("title", "Bob's")).status())
        .isEqualTo(201);
  }
}
