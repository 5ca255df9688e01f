package roombus.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import roombus.CookieWebSocket;
import roombus.CookieWebSocket.Endpoint;
import roombus.ServerLog;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;

@ExtendWith(VertxExtension.class)
@DisplayName("The bridge lets a client reach only the room list and the rooms it entered")
class BridgePermissionsTest {

  @StartHub private static TestHub hub;

  /** Every answer of 500 the hub logs while this class runs fails it. */
  @RegisterExtension static final ServerLog serverLog = new ServerLog();

  @Test
  @DisplayName("a websocket opened without a session cookie is accepted, and hears the room list")
  void withoutCookie(Vertx vertx) {
    BridgeSocket stranger = User.anonymous(hub.base()).connect(vertx).listenToRoomList();
    String id = hub.newUser().createRoom("Seen by strangers").getString("id");

    stranger.awaitMessage(
        "chat.rooms", m -> "newRoom".equals(m.getString("type")) && id.equals(m.getString("id")));
    stranger.register("chat.room." + id);
    assertThat(stranger.awaitError("chat.room." + id).getString("body")).isEqualTo("access_denied");
  }

  static Stream<Arguments> cookiesThatAreNoSession() {
    return Stream.of(Endpoint.values())
        .flatMap(
            endpoint ->
                Stream.of(
                    Arguments.of(endpoint, null),
                    Arguments.of(
                        endpoint,
                        "roombus.sid=QmFkQ29va2llVGhhdFdhc05ldmVyR2l2ZW4"), // well-formed, never
                    // issued
                    Arguments.of(endpoint, "roombus.sid=%%%not*a*session%%%"),
                    Arguments.of(endpoint, "roombus.sid="),
                    Arguments.of(endpoint, "theme=dark; other=1")));
  }

  @ParameterizedTest(name = "{0}, Cookie: {1}")
  @MethodSource("cookiesThatAreNoSession")
  @DisplayName(
      "a raw or SockJS websocket without a valid session cookie opens (never a 500), gets a fresh empty session that hears the room list, and is refused rooms")
  void withoutValidCookie(Endpoint endpoint, String cookie, Vertx vertx) {
    try (CookieWebSocket stranger = CookieWebSocket.open(vertx, hub.base(), endpoint, cookie)) {
      stranger.register("chat.rooms", null);
      stranger.sync();
      User alice = hub.newUser();
      String id = alice.createRoom("Seen by strangers").getString("id");

      stranger.awaitMessage(
          "chat.rooms", m -> "newRoom".equals(m.getString("type")) && id.equals(m.getString("id")));
      stranger.register("chat.room." + id, null);
      JsonObject refused = stranger.awaitError("chat.room." + id);
      assertThat(refused.getString("body")).isEqualTo("access_denied");
      assertThat(refused.getInteger("failureCode")).isEqualTo(403);
    }
    assertThat(serverLog.serverErrors()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Endpoint.class)
  @DisplayName(
      "a client without the cookie presents the token of POST /api/token in the frame headers, and speaks as that session's user; another token is refused")
  void tokenInFrameHeaders(Endpoint endpoint, Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Tokens on the websocket").getString("id");
    String room = "chat.room." + id;
    String token = alice.post("/api/token", new JsonObject()).json().getString("token");
    String bobsToken = hub.newUser().post("/api/token", new JsonObject()).json().getString("token");

    try (CookieWebSocket client = CookieWebSocket.open(vertx, hub.base(), endpoint, null)) {
      client.register(room, new JsonObject().put("token", token));
      JsonObject welcome = client.awaitMessage(room, m -> "welcome".equals(m.getString("type")));
      assertThat(welcome.getString("user")).isEqualTo(alice.id());

      client.send(
          new JsonObject()
              .put("type", "send")
              .put("address", room)
              .put("replyAddress", "r1")
              .put("body", new JsonObject().put("chat", "from a cookieless client")));
      JsonObject stored = client.awaitMessage("r1", m -> true);
      assertThat(stored.getString("user")).isEqualTo(alice.id());
      assertThat(
              alice.history(id).array().stream()
                  .map(JsonObject.class::cast)
                  .anyMatch(m -> "from a cookieless client".equals(m.getString("chat"))))
          .isTrue();

      client.send(
          new JsonObject()
              .put("type", "send")
              .put("address", room)
              .put("headers", new JsonObject().put("token", bobsToken))
              .put("body", new JsonObject().put("chat", "as bob")));
      assertThat(client.awaitError(room).getString("message"))
          .isEqualTo("This connection already speaks for another token");
    }
    try (CookieWebSocket client = CookieWebSocket.open(vertx, hub.base(), endpoint, null)) {
      client.register(room, new JsonObject().put("token", "x".repeat(43)));
      JsonObject refused = client.awaitError(room);
      assertThat(refused.getString("message")).isEqualTo("Unknown or expired token");
    }
    assertThat(
            alice.history(id).array().stream()
                .map(JsonObject.class::cast)
                .noneMatch(m -> "as bob".equals(m.getString("chat"))))
        .isTrue();
  }

  @Test
  @DisplayName("registering on a room the session has not entered is refused with access_denied")
  void registerWithoutEntering(Vertx vertx) {
    String id = hub.newUser().createRoom("Private talk").getString("id");
    BridgeSocket mallory = hub.newUser().connect(vertx);

    mallory.register("chat.room." + id);

    JsonObject err = mallory.awaitError("chat.room." + id);
    assertThat(err.getString("body")).isEqualTo("access_denied");
    assertThat(mallory.messages("chat.room." + id)).isEmpty();
    assertThat(hub.newUser().get("/api/rooms/" + id).json().getInteger("count")).isZero();
  }

  @Test
  @DisplayName("a client that did not enter a room receives nothing of it")
  void deniedReceivesNothing(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Not for Mallory").getString("id");
    BridgeSocket mallory = hub.newUser().connect(vertx);
    mallory.register("chat.room." + id);
    mallory.awaitError("chat.room." + id);
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);

    long seq = alice.say(id, "secret plans").json().getLong("seq");
    aliceSocket.awaitMessage("chat.room." + id, m -> m.getLong("seq", 0L) == seq);

    assertThat(mallory.frames()).noneMatch(f -> f.encode().contains("secret plans"));
  }

  @Test
  @DisplayName("sending to a room the session has not entered is refused and stores nothing")
  void sendWithoutEntering(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("No gatecrashers").getString("id");
    BridgeSocket mallory = hub.newUser().connect(vertx);

    mallory.send(
        new JsonObject()
            .put("type", "send")
            .put("address", "chat.room." + id)
            .put("body", new JsonObject().put("chat", "let me in")));

    JsonObject err = mallory.awaitError("chat.room." + id);
    assertThat(err.getInteger("failureCode")).isEqualTo(403);
    assertThat(alice.history(id).array()).isEmpty();
  }

  @Test
  @DisplayName(
      "publishing to a room, even one entered, is refused with access_denied and stores nothing")
  void publishRefused(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Publish is not send").getString("id");
    BridgeSocket socket = alice.connect(vertx);
    socket.enterRoom(id);
    int stored = alice.history(id).array().size();

    socket.send(
        new JsonObject()
            .put("type", "publish")
            .put("address", "chat.room." + id)
            .put("body", new JsonObject().put("chat", "to everyone")));

    assertThat(socket.awaitError("chat.room." + id).getString("body")).isEqualTo("access_denied");
    assertThat(alice.history(id).array()).hasSize(stored);
    assertThat(socket.messages("chat.room." + id))
        .noneMatch(m -> "to everyone".equals(m.getString("chat")));
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("sending to an internal or unknown address is refused with access_denied")
  @ValueSource(
      strings = {
        "store.chats.append",
        "rooms.join",
        "rooms.create",
        "store.rooms.delete",
        "chat.roomsX",
        "chat.rooms",
        "chat.room.",
        "chat.room.a/b"
      })
  void sendElsewhere(String address, Vertx vertx) {
    BridgeSocket socket = hub.newUser().connect(vertx);

    socket.send(
        new JsonObject()
            .put("type", "send")
            .put("address", address)
            .put("replyAddress", "my-reply")
            .put("body", new JsonObject().put("room", "x").put("user", "y").put("chat", "z")));

    JsonObject err = socket.awaitFrame("an err frame", f -> "err".equals(f.getString("type")));
    assertThat(err.getInteger("failureCode")).isEqualTo(403);
    assertThat(err.getString("body")).isEqualTo("access_denied");
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("registering on an internal or unknown address is refused with access_denied")
  @ValueSource(
      strings = {"store.chats.append", "rooms.join", "chat.roomsX", "chat.room.", "rooms.create"})
  void registerElsewhere(String address, Vertx vertx) {
    BridgeSocket socket = hub.newUser().connect(vertx);

    socket.register(address);

    JsonObject err = socket.awaitError(address);
    assertThat(err.getString("body")).isEqualTo("access_denied");
  }

  @Test
  @DisplayName("a frame that is not JSON gets an err frame, and the socket keeps working")
  void malformedFrame(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Robust").getString("id");
    BridgeSocket socket = alice.connect(vertx);

    socket.sendText("this is {not json");

    JsonObject err = socket.awaitFrame("an err frame", f -> "err".equals(f.getString("type")));
    assertThat(err.getString("body")).isNotBlank();
    assertThat(socket.isClosed()).isFalse();
    JsonObject welcome = socket.enterRoom(id);
    assertThat(welcome.getString("user")).isEqualTo(alice.id());
  }

  @Test
  @DisplayName("a frame of an unknown type gets an err frame, and the socket keeps working")
  void unknownFrameType(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Still robust").getString("id");
    BridgeSocket socket = alice.connect(vertx);

    socket.send(new JsonObject().put("type", "teleport").put("address", "chat.room." + id));

    assertThat(socket.awaitFrame("an err frame", f -> "err".equals(f.getString("type"))))
        .isNotNull();
    assertThat(socket.enterRoom(id).getString("room")).isEqualTo(id);
  }
}
