package roombus.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;

@ExtendWith(VertxExtension.class)
@DisplayName(
    "Being in a room over the raw event-bus websocket: welcome, notices, posting, catch-up")
class RoomOverBridgeTest {

  @StartHub private static TestHub hub;

  private static String room(String id) {
    return "chat.room." + id;
  }

  private static boolean ofType(JsonObject body, String type) {
    return type.equals(body.getString("type"));
  }

  private static BridgeSocket listening(User who, Vertx vertx) {
    return who.connect(vertx).listenToRoomList();
  }

  private static void awaitCount(BridgeSocket list, String roomId, int count) {
    list.awaitMessage(
        "chat.rooms",
        m ->
            ofType(m, "count")
                && roomId.equals(m.getString("id"))
                && m.getInteger("count") == count);
  }

  @Test
  @DisplayName("registering after entering brings a welcome with who I am and who is here")
  void welcome(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Welcome").getString("id");

    JsonObject welcome = alice.connect(vertx).enterRoom(id);

    assertThat(welcome.getString("room")).isEqualTo(id);
    assertThat(welcome.getString("user")).isEqualTo(alice.id());
    assertThat(welcome.getString("color")).isEqualTo(alice.color());
    assertThat(welcome.getInteger("count")).isEqualTo(1);
    assertThat(welcome.getJsonArray("participants").getJsonObject(0).getString("user"))
        .isEqualTo(alice.id());
  }

  @Test
  @DisplayName(
      "a second user's arrival is announced to the first as a stored '#rrggbb joined' notice, with the count")
  void joinNotice(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Arrivals").getString("id");
    BridgeSocket list = listening(alice, vertx);
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    awaitCount(list, id, 1);
    bob.enter(id);

    bob.connect(vertx).enterRoom(id);

    JsonObject joined =
        aliceSocket.awaitMessage(
            room(id), m -> ofType(m, "join") && bob.id().equals(m.getString("user")));
    assertThat(joined.getString("chat"))
        .isEqualTo(bob.color() + " joined")
        .matches("#[0-9a-f]{6} joined");
    assertThat(joined.getString("color")).isEqualTo(bob.color());
    assertThat(joined.getString("room")).isEqualTo(id);
    assertThat(joined.getLong("seq")).isPositive();
    assertThat(joined.getString("id")).isNotBlank();
    assertThat(joined.getString("createdAt")).isNotBlank();
    awaitCount(list, id, 2);
    assertThat(alice.history(id).array().stream().map(JsonObject.class::cast))
        .anySatisfy(
            m -> {
              assertThat(m.getString("type")).isEqualTo("join");
              assertThat(m.getString("chat")).isEqualTo(bob.color() + " joined");
              assertThat(m.getLong("seq")).isEqualTo(joined.getLong("seq"));
            });
  }

  @Test
  @DisplayName(
      "a send with a replyAddress is stored as the session's user, acknowledged, and reaches the others")
  void sendWithAcknowledgement(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Talk").getString("id");
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    bob.enter(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);

    aliceSocket.send(
        new JsonObject()
            .put("type", "send")
            .put("address", room(id))
            .put("replyAddress", "ack-1")
            .put(
                "body",
                new JsonObject()
                    .put("chat", "hi")
                    .put("user", "someone-else")
                    .put("color", "#000000")));

    JsonObject ack =
        aliceSocket.awaitFrame("the acknowledgement", f -> "ack-1".equals(f.getString("address")));
    assertThat(ack.getString("type")).isEqualTo("rec"); // as the stock SockJS bridge answers a send
    JsonObject stored = ack.getJsonObject("body");
    assertThat(stored.getString("type")).isEqualTo("chat");
    assertThat(stored.getString("chat")).isEqualTo("hi");
    assertThat(stored.getString("user")).isEqualTo(alice.id()); // the spoofed user is ignored
    assertThat(stored.getString("color")).isEqualTo(alice.color());
    assertThat(stored.getString("room")).isEqualTo(id);
    assertThat(stored.getLong("seq")).isPositive();

    JsonObject atBob =
        bobSocket.awaitMessage(
            room(id), m -> ofType(m, "chat") && "hi".equals(m.getString("chat")));
    assertThat(atBob.getLong("seq")).isEqualTo(stored.getLong("seq"));
    assertThat(atBob.getString("id")).isEqualTo(stored.getString("id"));
    assertThat(atBob.getString("user")).isEqualTo(alice.id());
    assertThat(bob.history(id).array().stream().map(JsonObject.class::cast))
        .filteredOn(m -> "hi".equals(m.getString("chat")))
        .singleElement()
        .satisfies(m -> assertThat(m.getString("user")).isEqualTo(alice.id()));
    assertThat(bob.history(id).text()).doesNotContain("someone-else");
  }

  @Test
  @DisplayName(
      "a send without a replyAddress is posted too; the sender sees it come back from the room")
  void sendWithoutReply(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Fire and forget").getString("id");
    BridgeSocket socket = alice.connect(vertx);
    socket.enterRoom(id);

    socket.send(
        new JsonObject()
            .put("type", "send")
            .put("address", room(id))
            .put("body", new JsonObject().put("chat", "echo")));

    JsonObject echo = socket.awaitMessage(room(id), m -> "echo".equals(m.getString("chat")));
    assertThat(echo.getString("user")).isEqualTo(alice.id());
  }

  @Test
  @DisplayName(
      "an empty or too long message sent over the bridge is refused to the replyAddress and not stored")
  void sendValidation(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Rules").getString("id");
    BridgeSocket socket = alice.connect(vertx);
    socket.enterRoom(id);
    int stored = alice.history(id).array().size();

    socket.send(
        new JsonObject()
            .put("type", "send")
            .put("address", room(id))
            .put("replyAddress", "r-empty")
            .put("body", new JsonObject().put("chat", "")));
    socket.send(
        new JsonObject()
            .put("type", "send")
            .put("address", room(id))
            .put("replyAddress", "r-long")
            .put("body", new JsonObject().put("chat", "x".repeat(1001))));

    for (String replyAddress : List.of("r-empty", "r-long")) {
      JsonObject refusal =
          socket.awaitFrame("the refusal", f -> replyAddress.equals(f.getString("address")));
      assertThat(refusal.getString("type")).isEqualTo("err");
      assertThat(refusal.getInteger("failureCode")).isEqualTo(400);
    }
    assertThat(alice.history(id).array()).hasSize(stored);
  }

  @Test
  @DisplayName("a message posted over HTTP reaches every socket in the room with the same seq")
  void httpPostFansOut(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Fan-out").getString("id");
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    bob.enter(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);

    JsonObject posted = alice.say(id, "over http").json();

    for (BridgeSocket socket : List.of(aliceSocket, bobSocket)) {
      JsonObject received =
          socket.awaitMessage(room(id), m -> "over http".equals(m.getString("chat")));
      assertThat(received).isEqualTo(posted);
    }
  }

  @Test
  @DisplayName(
      "when a user disconnects, the others get a stored '#rrggbb left' exit notice and the new count")
  void exitNotice(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Departures").getString("id");
    BridgeSocket list = listening(alice, vertx);
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    bob.enter(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);
    awaitCount(list, id, 2);

    bobSocket.close();

    JsonObject exit =
        aliceSocket.awaitMessage(
            room(id), m -> ofType(m, "exit") && bob.id().equals(m.getString("user")));
    assertThat(exit.getString("chat")).isEqualTo(bob.color() + " left");
    assertThat(exit.getLong("seq")).isPositive();
    awaitCount(list, id, 1);
    assertThat(alice.history(id).array().stream().map(JsonObject.class::cast))
        .anyMatch(
            m ->
                "exit".equals(m.getString("type")) && exit.getLong("seq").equals(m.getLong("seq")));
  }

  @Test
  @DisplayName("unregistering from the room is leaving it: the others get the exit notice")
  void unregisterIsLeaving(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Unregister").getString("id");
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    bob.enter(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);

    bobSocket.unregister(room(id));

    aliceSocket.awaitMessage(
        room(id), m -> ofType(m, "exit") && bob.id().equals(m.getString("user")));
    long seq = alice.say(id, "after bob left").json().getLong("seq");
    aliceSocket.awaitMessage(room(id), m -> m.getLong("seq", 0L) == seq);
    assertThat(bobSocket.messages(room(id)))
        .noneMatch(m -> "after bob left".equals(m.getString("chat")));
  }

  @Test
  @DisplayName("two sockets of the same user count once: no second join, no exit while one stays")
  void sameUserTwice(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Two tabs").getString("id");
    BridgeSocket list = listening(bob, vertx);
    bob.enter(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);
    BridgeSocket tab1 = alice.connect(vertx);
    tab1.enterRoom(id);
    bobSocket.awaitMessage(
        room(id), m -> ofType(m, "join") && alice.id().equals(m.getString("user")));
    awaitCount(list, id, 2);

    BridgeSocket tab2 = alice.connect(vertx);
    JsonObject secondWelcome = tab2.enterRoom(id);
    tab2.close();
    long marker = bob.say(id, "marker").json().getLong("seq");
    bobSocket.awaitMessage(room(id), m -> m.getLong("seq", 0L) == marker);
    tab1.awaitMessage(room(id), m -> m.getLong("seq", 0L) == marker);

    assertThat(secondWelcome.getInteger("count")).isEqualTo(2);
    assertThat(bobSocket.messages(room(id)))
        .filteredOn(m -> alice.id().equals(m.getString("user")))
        .extracting(m -> m.getString("type"))
        .containsExactly("join");
    assertThat(list.occupancy(id)).containsExactly(1, 2);
    assertThat(hub.newUser().get("/api/rooms/" + id).json().getInteger("count")).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "registering with a since header delivers the stored messages after it, then live ones, no gap, no duplicate")
  void catchUp(Vertx vertx) throws Exception {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Catch-up").getString("id");
    for (int i = 1; i <= 5; i++) alice.say(id, "before " + i);
    bob.enter(id);

    // Bob keeps posting while Alice registers asking for everything after seq 2
    CompletableFuture<Long> lastPosted =
        CompletableFuture.supplyAsync(
            () -> {
              long last = 0;
              for (int i = 1; i <= 40; i++) last = bob.say(id, "during " + i).json().getLong("seq");
              return last;
            });
    BridgeSocket socket = alice.connect(vertx);
    socket.register(room(id), 2);
    long last = lastPosted.get();
    long finalSeq = alice.say(id, "after").json().getLong("seq");

    socket.awaitMessage(room(id), m -> m.getLong("seq", 0L) == finalSeq);
    List<JsonObject> received = socket.messages(room(id));
    assertThat(received.get(0).getString("type")).isEqualTo("welcome");
    List<Long> seqs =
        received.stream().filter(m -> m.containsKey("seq")).map(m -> m.getLong("seq")).toList();
    assertThat(seqs)
        .containsExactlyElementsOf(LongStream.rangeClosed(3, finalSeq).boxed().toList());
    assertThat(last).isLessThan(finalSeq);
    assertThat(received).filteredOn(m -> "before 3".equals(m.getString("chat"))).hasSize(1);
    assertThat(received).noneMatch(m -> "before 2".equals(m.getString("chat")));
  }
}
