package roombus.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.LocalSessionStore;
import io.vertx.ext.web.sstore.SessionStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.Addresses;
import roombus.HubConfig;
import roombus.bus.LocalServices;
import roombus.chat.PostLimiter;
import roombus.guard.Guards;
import roombus.identity.Identity;
import roombus.identity.RoomAccess;
import roombus.model.ChatMessage;
import roombus.model.Departure;
import roombus.model.Participant;
import roombus.model.Presence;
import roombus.model.Room;
import roombus.model.Seat;
import roombus.model.Whisper;
import roombus.room.RoomEvents;
import roombus.room.RoomService;
import roombus.store.ChatLog;
import roombus.store.PresenceRepository;

/**
 * One bridge connection, its rules and its frames, against fake room and store services (exposed on
 * the node's service addresses as the real verticles are) and a fake socket.
 */
@DisplayName("A bridge connection")
class BridgeConnectionTest {

  private static final Identity ALICE = new Identity("a1a1a1a1a1a1a1a1", "#aa0000");
  private static final Identity BOB = new Identity("b2b2b2b2b2b2b2b2", "#00aa00");
  private static final String ROOM = "room1";
  private static final String ADDRESS = Addresses.room(ROOM);

  private Vertx vertx;
  private SessionStore sessions;
  private BridgeHub hub;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<ChatMessage> appended = new CopyOnWriteArrayList<>();

  /**
   * The socket under the connection: frames written to it, and a way to send frames as the client.
   */
  private static final class FakeLink implements ClientLink {
    final BridgeFrames.Style style;
    final List<JsonObject> written = new CopyOnWriteArrayList<>();

    /** The event loop the connection was opened on, which the client's frames arrive on. */
    Context loop;

    Handler<Buffer> frames;
    Handler<Void> closed;

    FakeLink(BridgeFrames.Style style) {
      this.style = style;
    }

    @Override
    public BridgeFrames.Style style() {
      return style;
    }

    @Override
    public void frameHandler(Handler<Buffer> handler) {
      frames = handler;
    }

    @Override
    public void closeHandler(Handler<Void> handler) {
      closed = handler;
    }

    @Override
    public void write(Buffer frame) {
      written.add(new JsonObject(frame));
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public void closeSlow() {
      close();
    }

    @Override
    public void close() {
      closed.handle(null);
    }
  }

  private final class FakeRooms implements RoomService {
    public Future<Room> create(Room room) {
      return Future.failedFuture("unused");
    }

    public Future<Room> delete(String roomId, String user) {
      return Future.failedFuture("unused");
    }

    @Override
    public Future<Room> close(String roomId) {
      return Future.failedFuture("unused");
    }

    public Future<Seat> enter(String roomId, Identity who) {
      return Future.failedFuture("unused");
    }

    public Future<Room> handOver(String roomId, String owner, String newOwner) {
      return Future.failedFuture("unused");
    }

    public Future<ChatMessage> kick(String roomId, String owner, String user) {
      return Future.failedFuture("unused");
    }

    public Future<Void> purgeDeadNodes() {
      return Future.succeededFuture();
    }

    public Future<Seat> join(String roomId, Identity who) {
      calls.add("join " + roomId + " " + who.user());
      return Future.succeededFuture(new Seat(true, true, 1));
    }

    public Future<Departure> leave(String roomId, Identity who, boolean now) {
      calls.add("leave " + roomId + " " + who.user());
      return Future.succeededFuture(new Departure(roomId, true, 0));
    }
  }

  private final class FakePresence implements PresenceRepository {
    public Future<Seat> admit(String roomId, String user, String color, String node) {
      return Future.failedFuture("unused");
    }

    public Future<Departure> depart(String roomId, String user, String node, long deleteAfter) {
      return Future.failedFuture("unused");
    }

    public Future<List<Presence>> heldOutside(List<String> liveNodes) {
      return Future.succeededFuture(List.of());
    }

    public Future<Void> purge(String roomId) {
      return Future.succeededFuture();
    }

    public Future<List<Participant>> participants(String roomId) {
      return Future.succeededFuture(List.of(new Participant(ALICE.user(), ALICE.color())));
    }
  }

  private final class FakeChats implements ChatLog {
    public Future<ChatMessage> append(ChatMessage message) {
      appended.add(message);
      return Future.succeededFuture(message.withSeq(appended.size()));
    }

    public Future<List<ChatMessage>> page(String roomId, Long before, Long after, int limit) {
      return Future.succeededFuture(List.of());
    }

    public Future<Whisper> whisper(Whisper whisper) {
      return Future.failedFuture("unused");
    }

    public Future<Whisper> whisperSent(String roomId, String user, String key) {
      return Future.succeededFuture();
    }

    public Future<List<Whisper>> whispers(
        String roomId, String user, long fromAfter, Long toAfter, int limit) {
      return Future.succeededFuture(List.of());
    }

    public Future<Void> purge(String roomId) {
      return Future.succeededFuture();
    }
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    await(LocalServices.expose(vertx, Addresses.ROOMS, RoomService.class, new FakeRooms()));
    await(
        LocalServices.expose(
            vertx, Addresses.STORE_PRESENCE, PresenceRepository.class, new FakePresence()));
    await(LocalServices.expose(vertx, Addresses.STORE_CHATS, ChatLog.class, new FakeChats()));
    sessions = LocalSessionStore.create(vertx);
    HubConfig config = HubConfig.from(Map.of());
    hub =
        new BridgeHub(
            vertx,
            config,
            new Fanout(vertx),
            sessions,
            new PostLimiter(1000),
            Guards.create(vertx, config, () -> List.of("this-node")));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  /** A session of Alice's that entered {@link #ROOM} over HTTP. */
  private String enteredSession() throws Exception {
    Session session = sessions.createSession(60_000);
    RoomAccess.grant(session, ROOM);
    await(sessions.put(session));
    return session.id();
  }

  /** Opens a connection on an event loop, as the bridge does for each new socket. */
  private FakeLink connect(BridgeFrames.Style style, Identity who, String sessionId)
      throws Exception {
    FakeLink link = new FakeLink(style);
    Context loop = vertx.getOrCreateContext();
    link.loop = loop;
    CompletableFuture<Void> opened = new CompletableFuture<>();
    loop.runOnContext(
        v -> {
          hub.open(link, who, sessionId);
          opened.complete(null);
        });
    opened.get(10, TimeUnit.SECONDS);
    return link;
  }

  /** A socket of {@code who}'s, registered on {@link #ADDRESS} and welcomed. */
  private FakeLink inTheRoom(Identity who) throws Exception {
    FakeLink link = connect(BridgeFrames.Style.REC, who, enteredSession());
    send(link, register(ADDRESS));
    awaitFrame(link, f -> "rec".equals(f.getString("type")));
    return link;
  }

  private void send(FakeLink link, JsonObject frame) {
    link.loop.runOnContext(v -> link.frames.handle(frame.toBuffer()));
  }

  private void sendRaw(FakeLink link, String text) {
    link.loop.runOnContext(v -> link.frames.handle(Buffer.buffer(text)));
  }

  /** Returns once the link's event loop has done what was handed to it before. */
  private static void drain(FakeLink link) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    link.loop.runOnContext(v -> done.complete(null));
    done.get(10, TimeUnit.SECONDS);
  }

  private static JsonObject awaitFrame(FakeLink link, Predicate<JsonObject> matching)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (JsonObject f : link.written) if (matching.test(f)) return f;
      Thread.sleep(5); // bounded polling for a frame written on the event loop
    }
    throw new AssertionError("No such frame; written: " + link.written);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JsonObject register(String address) {
    return new JsonObject().put("type", "register").put("address", address);
  }

  @Test
  @DisplayName(
      "registering on a room is joining it: the client is welcomed in a rec frame with the people inside")
  void registerJoins() throws Exception {
    FakeLink link = connect(BridgeFrames.Style.REC, ALICE, enteredSession());
    send(link, register(ADDRESS));
    JsonObject welcome = awaitFrame(link, f -> "rec".equals(f.getString("type")));
    assertThat(welcome.getString("address")).isEqualTo(ADDRESS);
    assertThat(welcome.getJsonObject("body").getString("type")).isEqualTo("welcome");
    assertThat(welcome.getJsonObject("body").getJsonArray("participants")).hasSize(1);
    assertThat(calls).containsExactly("join room1 " + ALICE.user());
  }

  @Test
  @DisplayName("a room the session never entered is refused with access_denied, and nobody joins")
  void notEnteredRefused() throws Exception {
    Session other = sessions.createSession(60_000);
    await(sessions.put(other));
    FakeLink link = connect(BridgeFrames.Style.REC, ALICE, other.id());
    send(link, register(ADDRESS));
    JsonObject err = awaitFrame(link, f -> "err".equals(f.getString("type")));
    assertThat(err.getString("body")).isEqualTo("access_denied");
    assertThat(err.getInteger("failureCode")).isEqualTo(403);
    assertThat(calls).isEmpty();
  }

  @Test
  @DisplayName(
      "a send is posted as the session's user, whatever the body claims, and answered on its reply address")
  void sendAnswered() throws Exception {
    FakeLink link = connect(BridgeFrames.Style.REC, ALICE, enteredSession());
    send(
        link,
        new JsonObject()
            .put("type", "send")
            .put("address", ADDRESS)
            .put("replyAddress", "r-1")
            .put("body", new JsonObject().put("chat", "hello").put("user", "someone-else")));
    JsonObject reply = awaitFrame(link, f -> "r-1".equals(f.getString("address")));
    assertThat(reply.getString("type")).isEqualTo("rec");
    assertThat(reply.getJsonObject("body").getString("chat")).isEqualTo("hello");
    assertThat(appended).extracting(ChatMessage::user).containsExactly(ALICE.user());
  }

  @Test
  @DisplayName("on the TCP bridge the same reply is a message frame marked send")
  void tcpReplyStyle() throws Exception {
    FakeLink link = connect(BridgeFrames.Style.MESSAGE, ALICE, enteredSession());
    send(
        link,
        new JsonObject()
            .put("type", "send")
            .put("address", ADDRESS)
            .put("replyAddress", "r-2")
            .put("body", new JsonObject().put("chat", "over tcp")));
    JsonObject reply = awaitFrame(link, f -> "r-2".equals(f.getString("address")));
    assertThat(reply.getString("type")).isEqualTo("message");
    assertThat(reply.getBoolean("send")).isTrue();
  }

  @Test
  @DisplayName(
      "publish, unknown frame types and broken JSON each get an err frame; the connection stays")
  void badFrames() throws Exception {
    FakeLink link = connect(BridgeFrames.Style.REC, ALICE, enteredSession());
    send(link, new JsonObject().put("type", "publish").put("address", ADDRESS).put("body", "x"));
    sendRaw(link, "{not json");
    send(link, new JsonObject().put("type", "shout"));
    awaitFrame(link, f -> "invalid_json".equals(f.getString("body")));
    awaitFrame(link, f -> "invalid_frame".equals(f.getString("body")));
    assertThat(
            awaitFrame(link, f -> "access_denied".equals(f.getString("body"))).getString("address"))
        .isEqualTo(ADDRESS);
    send(link, register(ADDRESS));
    awaitFrame(link, f -> "rec".equals(f.getString("type")));
  }

  @Test
  @DisplayName("a whisper reaches its two users only")
  void whisperOnlyToItsUsers() throws Exception {
    FakeLink link = inTheRoom(ALICE);
    vertx
        .eventBus()
        .publish(
            ADDRESS,
            "{\"type\":\"whisper\",\"chat\":\"not for you\"}",
            new DeliveryOptions()
                .addHeader(RoomEvents.TO, "b2b2b2b2b2b2b2b2")
                .addHeader(RoomEvents.FROM, "c3c3c3c3c3c3c3c3"));
    vertx
        .eventBus()
        .publish(
            ADDRESS,
            "{\"type\":\"whisper\",\"chat\":\"for you\"}",
            new DeliveryOptions()
                .addHeader(RoomEvents.TO, ALICE.user())
                .addHeader(RoomEvents.FROM, "c3c3c3c3c3c3c3c3"));
    awaitFrame(
        link,
        f -> f.getValue("body") instanceof JsonObject b && "for you".equals(b.getString("chat")));
    assertThat(link.written)
        .noneMatch(
            f ->
                f.getValue("body") instanceof JsonObject b
                    && "not for you".equals(b.getString("chat")));
  }

  /** Publishes a chat line to the room as a node's fan-out would see it. */
  private void publish(String chat, DeliveryOptions headers) {
    vertx
        .eventBus()
        .publish(ADDRESS, new JsonObject().put("type", "chat").put("chat", chat).encode(), headers);
  }

  private static boolean saying(JsonObject frame, String chat) {
    return frame.getValue("body") instanceof JsonObject b && chat.equals(b.getString("chat"));
  }

  private static long chatsSaying(FakeLink link, String chat) {
    return link.written.stream().filter(f -> saying(f, chat)).count();
  }

  @Test
  @DisplayName(
      "a socket that unregisters gets nothing more of the room; registering again, it gets each message once")
  void unregisterThenRegisterAgain() throws Exception {
    FakeLink bob = inTheRoom(BOB);
    FakeLink link = inTheRoom(ALICE);
    send(link, new JsonObject().put("type", "unregister").put("address", ADDRESS));
    awaitCall("leave room1 " + ALICE.user());
    publish("while away", new DeliveryOptions());
    awaitFrame(bob, f -> saying(f, "while away"));
    drain(link); // her share of each message is handed to her loop before his is written
    send(link, register(ADDRESS));
    awaitCall("join room1 " + ALICE.user(), 2);
    awaitWelcomes(link, 2);
    publish("back", new DeliveryOptions());
    publish("and again", new DeliveryOptions());
    awaitFrame(link, f -> saying(f, "and again"));
    awaitFrame(bob, f -> saying(f, "and again"));
    drain(link);
    assertThat(chatsSaying(link, "while away")).isZero();
    assertThat(chatsSaying(link, "back")).isEqualTo(1);
    assertThat(chatsSaying(link, "and again")).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "a kicked user's socket gets the kick notice, then nothing more of the room, and gives its place back")
  void kickEndsTheStay() throws Exception {
    FakeLink link = inTheRoom(ALICE);
    publish(
        "alice was kicked",
        new DeliveryOptions()
            .addHeader(RoomEvents.CONTROL, RoomEvents.KICKED)
            .addHeader(RoomEvents.USER, ALICE.user()));
    awaitFrame(link, f -> saying(f, "alice was kicked"));
    awaitCall("leave room1 " + ALICE.user());
    publish("after the kick", new DeliveryOptions());
    FakeLink bob = inTheRoom(BOB);
    publish("seen by bob", new DeliveryOptions());
    awaitFrame(bob, f -> saying(f, "seen by bob"));
    drain(link); // her share of each message is handed to her loop before his is written
    assertThat(chatsSaying(link, "after the kick")).isZero();
    assertThat(chatsSaying(link, "seen by bob")).isZero();
  }

  /** Waits (bounded) until {@code count}, done on an event loop, reaches {@code expected}. */
  private static void awaitCount(LongSupplier count, long expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (count.getAsLong() < expected && System.nanoTime() < deadline) Thread.sleep(5);
    assertThat(count.getAsLong()).isEqualTo(expected);
  }

  private static void awaitWelcomes(FakeLink link, int count) throws Exception {
    awaitCount(
        () ->
            link.written.stream()
                .filter(
                    f ->
                        f.getValue("body") instanceof JsonObject b
                            && "welcome".equals(b.getString("type")))
                .count(),
        count);
  }

  private void awaitCall(String call) throws Exception {
    awaitCall(call, 1);
  }

  private void awaitCall(String call, int times) throws Exception {
    awaitCount(() -> calls.stream().filter(call::equals).count(), times);
  }

  @Test
  @DisplayName("a closed socket leaves every room it was in")
  void closeLeaves() throws Exception {
    FakeLink link = inTheRoom(ALICE);
    link.loop.runOnContext(v -> link.close());
    awaitCall("leave room1 " + ALICE.user());
    assertThat(calls).containsExactly("join room1 " + ALICE.user(), "leave room1 " + ALICE.user());
  }
}
