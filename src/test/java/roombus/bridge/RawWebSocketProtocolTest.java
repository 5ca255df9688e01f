package roombus.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.await;
import static roombus.TestHub.eventually;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.User;

/**
 * The websocket protocol of {@code /eventbus/websocket} as any websocket client sees it: pings
 * answered, fragmented messages joined, the close handshake both ways, oversized messages refused.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("The raw websocket speaks the websocket protocol to any client")
class RawWebSocketProtocolTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @StartHub private TestHub hub;

  private WebSocketClient client;

  @AfterEach
  void closeClient() {
    if (client != null) await(client.close(), WAIT);
  }

  private WebSocket open(Vertx vertx, User user) {
    URI uri = URI.create(hub.base());
    client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions().setMaxFrameSize(65_536).setMaxMessageSize(1 << 20));
    return await(
        client.connect(
            new WebSocketConnectOptions()
                .setHost(uri.getHost())
                .setPort(uri.getPort())
                .setURI("/eventbus/websocket")
                .addHeader("Cookie", "roombus.sid=" + user.sid())),
        WAIT);
  }

  private static String register(String address) {
    return new JsonObject().put("type", "register").put("address", address).encode();
  }

  @Test
  @DisplayName("a ping is answered with a pong carrying the same bytes")
  void pingPong(Vertx vertx) {
    WebSocket socket = open(vertx, hub.newUser());
    Promise<Buffer> pong = Promise.promise();
    socket.pongHandler(pong::tryComplete);
    socket.writePing(Buffer.buffer("are you there"));
    assertThat(await(pong.future(), WAIT).toString()).isEqualTo("are you there");
  }

  @Test
  @DisplayName(
      "a frame sent in fragments is read as one; the room's lines then arrive, binary and whole")
  void fragmentedFrame(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Fragments", 10, null).getString("id");
    User bob = hub.newUser();
    assertThat(bob.enter(id).status()).isEqualTo(200);
    WebSocket socket = open(vertx, bob);
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    socket.binaryMessageHandler(b -> received.add(new JsonObject(b)));

    String frame = register("chat.room." + id);
    int half = frame.length() / 2;
    socket.writeFrame(WebSocketFrame.textFrame(frame.substring(0, half), false));
    socket.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(frame.substring(half)), true));

    // the registration took: a line said now reaches the socket (the hub replays what it missed)
    eventually(
        () -> {
          alice.say(id, "after the fragments");
          assertThat(received)
              .anySatisfy(
                  m ->
                      assertThat(m.getJsonObject("body").getString("chat"))
                          .isEqualTo("after the fragments"));
        });
  }

  @Test
  @DisplayName("a message over 64 KiB closes the socket with 1009 (message too big)")
  void oversizedMessage(Vertx vertx) {
    WebSocket socket = open(vertx, hub.newUser());
    Promise<Short> closed = Promise.promise();
    socket.closeHandler(v -> closed.tryComplete(socket.closeStatusCode()));
    String big = "x".repeat(40_000);
    // two fragments of 40,000 bytes: each frame is allowed, the message is not
    socket.writeFrame(WebSocketFrame.textFrame(big, false));
    socket.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(big), true));
    assertThat(await(closed.future(), WAIT)).isEqualTo((short) 1009);

    // and the hub goes on serving others
    WebSocket other = open(vertx, hub.newUser());
    Promise<Buffer> pong = Promise.promise();
    other.pongHandler(pong::tryComplete);
    other.writePing(Buffer.buffer("still here"));
    assertThat(await(pong.future(), WAIT).toString()).isEqualTo("still here");
  }

  @Test
  @DisplayName("a client's close is answered with its code, and the hub counts the socket gone")
  void clientCloses(Vertx vertx) {
    User user = hub.newUser();
    String id = user.createRoom("Closing", 10, null).getString("id");
    WebSocket socket = open(vertx, user);
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    socket.binaryMessageHandler(b -> received.add(new JsonObject(b)));
    socket.writeTextMessage(register("chat.room." + id));
    eventually(
        () ->
            assertThat(received)
                .anySatisfy(
                    m ->
                        assertThat(m.getJsonObject("body").getString("type"))
                            .isEqualTo("welcome")));
    assertThat(websockets()).isEqualTo(1);

    AtomicInteger closes = new AtomicInteger();
    Promise<Short> closed = Promise.promise();
    socket.closeHandler(
        v -> {
          closes.incrementAndGet();
          closed.tryComplete(socket.closeStatusCode());
        });
    socket.close((short) 4321, "bye");
    assertThat(await(closed.future(), WAIT)).isEqualTo((short) 4321);
    eventually(() -> assertThat(websockets()).isZero());
    assertThat(closes).hasValue(1);
  }

  /** The node's websockets, as {@code /metrics} counts them. */
  private int websockets() {
    String metrics = hub.newUser().get("/metrics").text();
    Matcher line =
        Pattern.compile("(?m)^roombus_connections\\{[^}]*transport=\"websocket\"[^}]*} (\\S+)$")
            .matcher(metrics);
    return line.find() ? (int) Double.parseDouble(line.group(1)) : 0;
  }
}
