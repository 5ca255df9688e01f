package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.Reply;
import roombus.TestHub.User;

@ExtendWith(VertxExtension.class)
@DisplayName("Numbers and names from outside are taken for exactly what they are")
class HostileInputsTest {

  @StartHub private static TestHub hub;

  @ParameterizedTest(name = "max: {0}")
  @ValueSource(
      strings = {
        "4294967298",
        "2.5",
        "\"10\"",
        "-1",
        "1e300",
        "-4294967286",
        "9223372036854775807"
      })
  @DisplayName(
      "a room's max that is not a whole number from 2 to 100 (one that wraps around into range as an int, a"
          + " fraction, text, a negative, a huge double) answers 400 and creates nothing")
  void maxOutOfRange(String max) {
    User alice = hub.newUser();
    int before = alice.get("/api/rooms").array().size();

    Reply reply = alice.postRaw("/api/rooms", "{\"title\": \"Sneaky\", \"max\": " + max + "}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getString("error")).contains("max");
    assertThat(alice.get("/api/rooms").array().size()).isEqualTo(before);
  }

  @ParameterizedTest(name = "user: {0}")
  @ValueSource(
      strings = {
        "<img src=x onerror=alert(1)> was kicked",
        "ABCDEF0123456789",
        "0123456789abcdef0",
        "0123456789abcde",
        "0123456789abcdeg",
        " "
      })
  @DisplayName(
      "an owner kicking a made-up user (anything but 16 lowercase hex digits) gets 404, and the room hears nothing of it")
  void kickMadeUpUser(String madeUp, Vertx vertx) {
    assertKickRefused(madeUp, vertx);
  }

  @Test
  @DisplayName(
      "an owner kicking a made-up user of 1,000 characters gets 404, and the room hears nothing of it")
  void kickThousandCharacters(Vertx vertx) {
    assertKickRefused("x".repeat(1000), vertx);
  }

  @Test
  @DisplayName("kicking a real participant still works: 200 and a kick notice in the room")
  void kickRealUser() {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Real kick").getString("id");
    bob.enter(id);

    Reply reply = alice.post("/api/rooms/" + id + "/kick", new JsonObject().put("user", bob.id()));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(
            alice.history(id).array().stream()
                .map(JsonObject.class::cast)
                .map(m -> m.getString("type")))
        .contains("kick");
  }

  private static void assertKickRefused(String madeUp, Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Owner's room").getString("id");
    assertThat(bob.enter(id).status()).isEqualTo(200);
    BridgeSocket listening = bob.connect(vertx);
    listening.enterRoom(id);
    JsonArray before = alice.history(id).array();

    Reply reply = alice.post("/api/rooms/" + id + "/kick", new JsonObject().put("user", madeUp));

    assertThat(reply.status())
        .as("kick %s", madeUp.length() > 40 ? madeUp.length() + " characters" : madeUp)
        .isEqualTo(404);
    assertThat(reply.json().getString("error")).isNotBlank();
    assertThat(bob.say(id, "still here").status()).as("bob was not kicked").isEqualTo(201);
    listening.awaitMessage("chat.room." + id, m -> "still here".equals(m.getString("chat")));
    JsonArray after = alice.history(id).array();
    assertThat(after.size())
        .as("only bob's message was added to the history")
        .isEqualTo(before.size() + 1);
    assertThat(after.stream().map(JsonObject.class::cast).map(m -> m.getString("type")))
        .doesNotContain("kick");
    assertThat(listening.messages("chat.room." + id).stream().map(m -> m.getString("type")))
        .doesNotContain("kick");
  }
}
