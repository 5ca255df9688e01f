package roombus.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.eventually;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TcpBridgeSocket;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.Reply;
import roombus.TestHub.User;

@ExtendWith(VertxExtension.class)
@DisplayName("The TCP bridge: token-bound clients with the same rules as the websocket")
class TcpBridgeTest {

  @StartHub(tcpBridge = true)
  private static TestHub hub;

  private static String room(String id) {
    return "chat.room." + id;
  }

  private static String tokenOf(User user) {
    Reply reply = user.post("/api/token", new JsonObject());
    assertThat(reply.status()).as("POST /api/token: %s", reply).isEqualTo(201);
    return reply.json().getString("token");
  }

  private static TcpBridgeSocket tcp(Vertx vertx) {
    return TcpBridgeSocket.open(vertx, hub.tcpPort());
  }

  private static JsonObject sendFrame(String address, String replyAddress, JsonObject body) {
    JsonObject frame =
        new JsonObject().put("type", "send").put("address", address).put("body", body);
    if (replyAddress != null) frame.put("replyAddress", replyAddress);
    return frame;
  }

  @Test
  @DisplayName(
      "POST /api/token answers 201 with a fresh 43-character token for the session's user, and when it expires")
  void issueToken() {
    User alice = hub.newUser();

    Reply first = alice.post("/api/token", new JsonObject());
    Reply second = alice.post("/api/token", new JsonObject());

    assertThat(first.status()).isEqualTo(201);
    JsonObject token = first.json();
    assertThat(token.getString("token")).matches("[A-Za-z0-9_-]{43}");
    assertThat(token.getString("user")).isEqualTo(alice.id());
    assertThat(token.getString("color")).isEqualTo(alice.color());
    assertThat(java.time.Instant.parse(token.getString("expiresAt")))
        .isAfter(java.time.Instant.now().plusSeconds(3600));
    assertThat(second.json().getString("token")).isNotEqualTo(token.getString("token"));
    assertThat(hub.newUser().post("/api/token", new JsonObject()).json().getString("token"))
        .isNotIn(token.getString("token"), second.json().getString("token"));
  }

  @Test
  @DisplayName(
      "a client that presents its token registers on a room its user entered, is welcomed as that user, and receives the room")
  void registerAndReceive(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("TCP room").getString("id");
    bob.enter(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);
    TcpBridgeSocket aliceTcp = tcp(vertx);

    JsonObject welcome = aliceTcp.enterRoom(id, tokenOf(alice));

    assertThat(welcome.getString("user")).isEqualTo(alice.id());
    assertThat(welcome.getString("color")).isEqualTo(alice.color());
    assertThat(welcome.getInteger("count")).isEqualTo(2);
    bobSocket.awaitMessage(
        room(id),
        m -> "join".equals(m.getString("type")) && alice.id().equals(m.getString("user")));
    JsonObject posted = bob.say(id, "hello tcp").json();
    JsonObject received =
        aliceTcp.awaitMessage(room(id), m -> "hello tcp".equals(m.getString("chat")));
    assertThat(received).isEqualTo(posted);
  }

  @Test
  @DisplayName(
      "a send with a replyAddress is stored as the token's user (a spoofed user is ignored), acknowledged, and reaches the room")
  void sendWithAcknowledgement(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("TCP talk").getString("id");
    bob.enter(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);
    TcpBridgeSocket aliceTcp = tcp(vertx);
    aliceTcp.enterRoom(id, tokenOf(alice));

    aliceTcp.send(
        sendFrame(
            room(id),
            "ack-1",
            new JsonObject()
                .put("chat", "from a bot")
                .put("user", bob.id())
                .put("color", "#000000")));

    JsonObject ack =
        aliceTcp.awaitFrame("the acknowledgement", f -> "ack-1".equals(f.getString("address")));
    assertThat(ack.getString("type")).isEqualTo("message");
    JsonObject stored = ack.getJsonObject("body");
    assertThat(stored.getString("chat")).isEqualTo("from a bot");
    assertThat(stored.getString("user")).isEqualTo(alice.id());
    assertThat(stored.getString("color")).isEqualTo(alice.color());
    assertThat(stored.getLong("seq")).isPositive();
    JsonObject atBob =
        bobSocket.awaitMessage(room(id), m -> "from a bot".equals(m.getString("chat")));
    assertThat(atBob.getString("user")).isEqualTo(alice.id());
    assertThat(bob.history(id).array().stream().map(JsonObject.class::cast))
        .filteredOn(m -> "from a bot".equals(m.getString("chat")))
        .singleElement()
        .satisfies(m -> assertThat(m.getString("user")).isEqualTo(alice.id()));
  }

  @Test
  @DisplayName(
      "without a token, ping is answered with pong and the room list may be watched; nothing else")
  void withoutToken(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Tokenless").getString("id");
    TcpBridgeSocket anonymous = tcp(vertx);

    anonymous.send(new JsonObject().put("type", "ping"));
    anonymous.awaitFrame("a pong", f -> "pong".equals(f.getString("type")));
    anonymous.register("chat.rooms");
    anonymous.sync();
    String later = alice.createRoom("Announced").getString("id");
    anonymous.awaitMessage(
        "chat.rooms",
        m -> "newRoom".equals(m.getString("type")) && later.equals(m.getString("id")));

    anonymous.register(room(id));
    anonymous.send(sendFrame(room(id), null, new JsonObject().put("chat", "let me in")));

    JsonObject refused = anonymous.awaitError(room(id));
    assertThat(refused.getString("body")).isEqualTo("access_denied");
    assertThat(refused.getInteger("failureCode")).isEqualTo(403);
    eventually(
        () ->
            assertThat(anonymous.frames())
                .filteredOn(f -> "err".equals(f.getString("type")))
                .hasSize(3));
    assertThat(anonymous.frames())
        .filteredOn(f -> "err".equals(f.getString("type")))
        .allSatisfy(f -> assertThat(f.getString("body")).isEqualTo("access_denied"));
    assertThat(anonymous.messages(room(id))).isEmpty();
    assertThat(alice.history(id).array()).isEmpty();
    assertThat(anonymous.isClosed()).isFalse();
  }

  @Test
  @DisplayName(
      "a frame without a token, on a connection that never presented one, cannot enter a room the user entered")
  void tokenIsNeeded(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Cookies do not cross").getString("id");
    TcpBridgeSocket socket = tcp(vertx);

    socket.register(room(id));

    assertThat(socket.awaitError(room(id)).getString("body")).isEqualTo("access_denied");
    assertThat(hub.newUser().get("/api/rooms/" + id).json().getInteger("count")).isZero();
  }

  @Test
  @DisplayName("a bad token is refused with access_denied and binds nothing")
  void badToken(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Bad tokens").getString("id");
    String real = tokenOf(alice);
    TcpBridgeSocket mallory = tcp(vertx);

    mallory.register(room(id), "A".repeat(43));
    mallory.send(
        sendFrame(room(id), null, new JsonObject().put("chat", "guess"))
            .put("headers", new JsonObject().put("token", real.substring(1) + "x")));
    mallory.send(sendFrame(room(id), null, new JsonObject().put("chat", "no token")));
    mallory.register("chat.rooms", "not even the shape of a token");

    eventually(
        () ->
            assertThat(mallory.frames())
                .filteredOn(f -> "err".equals(f.getString("type")))
                .hasSize(4));
    assertThat(mallory.frames())
        .allSatisfy(
            f -> {
              assertThat(f.getString("type")).isEqualTo("err");
              assertThat(f.getString("body")).isEqualTo("access_denied");
            });
    assertThat(alice.history(id).array()).isEmpty();
  }

  @Test
  @DisplayName("a bound connection refuses another token: nothing is done as that token's user")
  void anotherToken(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("One voice").getString("id");
    bob.enter(id);
    String aliceToken = tokenOf(alice);
    TcpBridgeSocket socket = tcp(vertx);
    socket.enterRoom(id, aliceToken);

    socket.send(
        sendFrame(room(id), "as-bob", new JsonObject().put("chat", "I am bob"))
            .put("headers", new JsonObject().put("token", tokenOf(bob))));
    socket.send(
        sendFrame(room(id), "as-alice", new JsonObject().put("chat", "I am alice"))
            .put("headers", new JsonObject().put("token", aliceToken)));

    JsonObject refused = socket.awaitError(room(id));
    assertThat(refused.getString("body")).isEqualTo("access_denied");
    JsonObject ack =
        socket.awaitFrame(
            "alice's acknowledgement", f -> "as-alice".equals(f.getString("address")));
    assertThat(ack.getJsonObject("body").getString("user")).isEqualTo(alice.id());
    assertThat(socket.frames()).noneMatch(f -> "as-bob".equals(f.getString("address")));
    assertThat(alice.history(id).text()).doesNotContain("I am bob");
  }

  @Test
  @DisplayName(
      "forbidden addresses stay forbidden with a token: send to store.chats.append, publish to a room, register internally")
  void forbiddenAddresses(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Walls").getString("id");
    TcpBridgeSocket socket = tcp(vertx);
    socket.enterRoom(id, tokenOf(alice));

    socket.send(
        sendFrame(
            "store.chats.append",
            null,
            new JsonObject().put("room", id).put("user", "someone").put("chat", "sneaky")));
    JsonObject sendRefused = socket.awaitError("store.chats.append");
    socket.send(
        new JsonObject()
            .put("type", "publish")
            .put("address", room(id))
            .put("body", new JsonObject().put("chat", "loud")));
    JsonObject publishRefused = socket.awaitError(room(id));
    socket.register("rooms.join");
    JsonObject registerRefused = socket.awaitError("rooms.join");

    for (JsonObject err : new JsonObject[] {sendRefused, publishRefused, registerRefused}) {
      assertThat(err.getString("body")).isEqualTo("access_denied");
      assertThat(err.getInteger("failureCode")).isEqualTo(403);
    }
    assertThat(alice.history(id).text()).doesNotContain("sneaky").doesNotContain("loud");
  }

  @Test
  @DisplayName(
      "a token bound to a session that did not enter the room is refused, as a cookie would be")
  void roomNotEntered(Vertx vertx) {
    String id = hub.newUser().createRoom("Members only").getString("id");
    TcpBridgeSocket mallory = tcp(vertx);

    mallory.register(room(id), tokenOf(hub.newUser()));

    JsonObject err = mallory.awaitError(room(id));
    assertThat(err.getString("body")).isEqualTo("access_denied");
    assertThat(err.getString("message")).isEqualTo("You have not entered this room");
  }

  @Test
  @DisplayName("a new token replaces the old one: the old token binds no new connection")
  void rotation(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Rotation").getString("id");
    String old = tokenOf(alice);
    String current = tokenOf(alice);

    TcpBridgeSocket withOld = tcp(vertx);
    withOld.register(room(id), old);
    assertThat(withOld.awaitError(room(id)).getString("message"))
        .isEqualTo("Unknown or expired token");

    assertThat(tcp(vertx).enterRoom(id, current).getString("user")).isEqualTo(alice.id());
  }

  @Test
  @DisplayName("closing the TCP connection is leaving the room: the others get the exit notice")
  void disconnectIsLeaving(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("TCP departures").getString("id");
    bob.enter(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);
    TcpBridgeSocket aliceTcp = tcp(vertx);
    aliceTcp.enterRoom(id, tokenOf(alice));

    aliceTcp.close();

    JsonObject exit =
        bobSocket.awaitMessage(
            room(id),
            m -> "exit".equals(m.getString("type")) && alice.id().equals(m.getString("user")));
    assertThat(exit.getInteger("count")).isEqualTo(1);
  }

  @Test
  @DisplayName("frames split across writes, or several in one write, are each read whole")
  void framing(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Framing").getString("id");
    TcpBridgeSocket socket = tcp(vertx);
    Buffer register =
        TcpBridgeSocket.framed(
            new JsonObject()
                .put("type", "register")
                .put("address", room(id))
                .put("headers", new JsonObject().put("token", tokenOf(alice))));

    socket.sendRaw(register.getBuffer(0, 2));
    socket.sendRaw(register.getBuffer(2, 9));
    socket.sendRaw(register.getBuffer(9, register.length()));
    socket.awaitMessage(room(id), m -> "welcome".equals(m.getString("type")));
    socket.sendRaw(
        Buffer.buffer()
            .appendBuffer(
                TcpBridgeSocket.framed(
                    sendFrame(room(id), "one", new JsonObject().put("chat", "first"))))
            .appendBuffer(TcpBridgeSocket.framed(new JsonObject().put("type", "ping")))
            .appendBuffer(
                TcpBridgeSocket.framed(
                    sendFrame(room(id), "two", new JsonObject().put("chat", "second")))));

    JsonObject first = socket.awaitFrame("ack one", f -> "one".equals(f.getString("address")));
    JsonObject second = socket.awaitFrame("ack two", f -> "two".equals(f.getString("address")));
    assertThat(first.getJsonObject("body").getString("chat")).isEqualTo("first");
    assertThat(second.getJsonObject("body").getString("chat")).isEqualTo("second");
    assertThat(socket.frames()).anyMatch(f -> "pong".equals(f.getString("type")));
  }

  @Test
  @DisplayName("a frame that is not JSON gets an err frame, and the connection keeps working")
  void notJson(Vertx vertx) {
    TcpBridgeSocket socket = tcp(vertx);
    Buffer junk = Buffer.buffer("this is {not json");

    socket.sendRaw(Buffer.buffer().appendInt(junk.length()).appendBuffer(junk));

    JsonObject err = socket.awaitFrame("an err frame", f -> "err".equals(f.getString("type")));
    assertThat(err.getString("body")).isEqualTo("invalid_json");
    socket.send(new JsonObject().put("type", "ping"));
    socket.awaitFrame("a pong", f -> "pong".equals(f.getString("type")));
  }

  @Test
  @DisplayName(
      "a frame announced over 64 KiB is refused with an err frame and the connection is closed")
  void oversizedFrame(Vertx vertx) {
    TcpBridgeSocket socket = tcp(vertx);

    socket.sendRaw(Buffer.buffer().appendInt(64 * 1024 + 1).appendString("{\"type\":\"ping\""));

    JsonObject err = socket.awaitFrame("an err frame", f -> "err".equals(f.getString("type")));
    assertThat(err.getString("body")).isEqualTo("frame_too_large");
    assertThat(err.getInteger("failureCode")).isEqualTo(413);
    eventually(() -> assertThat(socket.isClosed()).isTrue());
    assertThat(socket.frames()).noneMatch(f -> "pong".equals(f.getString("type")));
  }

  @Test
  @DisplayName("a frame of exactly 64 KiB is accepted")
  void largestFrame(Vertx vertx) {
    TcpBridgeSocket socket = tcp(vertx);
    String ping = "{\"type\":\"ping\",\"pad\":\"\"}";
    String padded =
        ping.replace("\"pad\":\"\"", "\"pad\":\"" + "x".repeat(64 * 1024 - ping.length()) + "\"");

    socket.sendRaw(Buffer.buffer().appendInt(padded.length()).appendString(padded));

    assertThat(padded).hasSize(64 * 1024);
    socket.awaitFrame("a pong", f -> "pong".equals(f.getString("type")));
    assertThat(socket.isClosed()).isFalse();
  }
}
