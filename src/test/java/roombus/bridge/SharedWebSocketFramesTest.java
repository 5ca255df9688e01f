package roombus.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static roombus.TestHub.await;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.User;

@ExtendWith(VertxExtension.class)
@DisplayName("A room's messages reach its raw websockets as one frame encoded once for all of them")
class SharedWebSocketFramesTest {

  @ParameterizedTest(name = "a payload of {0} bytes")
  @ValueSource(ints = {0, 1, 125, 126, 300, 65_535, 65_536})
  @DisplayName(
      "the encoding is one final binary frame that a websocket decoder reads back byte for byte")
  void encoding(int length) {
    byte[] payload = new byte[length];
    for (int i = 0; i < length; i++) payload[i] = (byte) ('a' + i % 26);
    ByteBuf encoded = SharedWebSocketFrames.encode(Buffer.buffer(payload), 65_536);

    // what a client reads: unmasked server frames, up to 1 MB
    EmbeddedChannel client =
        new EmbeddedChannel(new WebSocket08FrameDecoder(false, false, 1 << 20));
    assertThat(client.writeInbound(encoded)).isTrue();
    BinaryWebSocketFrame frame = client.readInbound();
    try {
      assertThat(frame.isFinalFragment()).isTrue();
      assertThat(frame.rsv()).isZero();
      byte[] read = new byte[frame.content().readableBytes()];
      frame.content().readBytes(read);
      assertThat(read).isEqualTo(payload);
      assertThat((Object) client.readInbound()).as("nothing after the frame").isNull();
    } finally {
      frame.release();
      client.finishAndReleaseAll();
    }
  }

  @Test
  @DisplayName(
      "a message longer than one frame is a binary frame and continuations, which a decoder joins back")
  void fragments() {
    byte[] payload = new byte[150_000];
    for (int i = 0; i < payload.length; i++) payload[i] = (byte) (i % 251);
    ByteBuf encoded = SharedWebSocketFrames.encode(Buffer.buffer(payload), 65_536);

    EmbeddedChannel client =
        new EmbeddedChannel(
            new WebSocket08FrameDecoder(false, false, 65_536),
            new WebSocketFrameAggregator(1 << 20));
    try {
      assertThat(client.writeInbound(encoded)).isTrue();
      BinaryWebSocketFrame frame = client.readInbound();
      byte[] read = new byte[frame.content().readableBytes()];
      frame.content().readBytes(read);
      frame.release();
      assertThat(read).isEqualTo(payload);
      assertThat((Object) client.readInbound()).as("one message").isNull();
    } finally {
      client.finishAndReleaseAll();
    }
    // and in frames: 65,536 + 65,536 + 18,928 bytes of payload
    EmbeddedChannel frames = new EmbeddedChannel(new WebSocket08FrameDecoder(false, false, 65_536));
    try {
      frames.writeInbound(SharedWebSocketFrames.encode(Buffer.buffer(payload), 65_536));
      List<WebSocketFrame> read = new ArrayList<>();
      for (WebSocketFrame f; (f = frames.readInbound()) != null; ) read.add(f);
      assertThat(read)
          .extracting(f -> f.getClass().getSimpleName(), WebSocketFrame::isFinalFragment)
          .containsExactly(
              tuple("BinaryWebSocketFrame", false),
              tuple("ContinuationWebSocketFrame", false),
              tuple("ContinuationWebSocketFrame", true));
      assertThat(read)
          .extracting(f -> f.content().readableBytes())
          .containsExactly(65_536, 65_536, 18_928);
      read.forEach(WebSocketFrame::release);
    } finally {
      frames.finishAndReleaseAll();
    }
  }

  @StartHub private static TestHub hub;

  @Test
  @DisplayName(
      "three raw websockets in a room each get every message, whole, in order, as binary frames; the page's SockJS websocket gets them too")
  void roomOfRawSockets(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Shared frames", 10, null).getString("id");
    String room = "chat.room." + id;
    List<RawSocket> sockets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      User user = hub.newUser();
      assertThat(user.enter(id).status()).isEqualTo(200);
      sockets.add(RawSocket.open(vertx, hub.base(), user.sid(), room));
    }
    TestHub.BridgeSocket watcher = alice.connect(vertx);
    watcher.enterRoom(id);

    // short lines, and lines past 125 bytes of frame (the two-byte length)
    List<String> said = new ArrayList<>();
    for (int i = 0; i < 20; i++) said.add(i % 2 == 0 ? "line " + i : ("long line " + i).repeat(20));
    for (String line : said) assertThat(alice.say(id, line).status()).isEqualTo(201);

    for (RawSocket socket : sockets) {
      List<JsonObject> chats = socket.awaitChats(said.size());
      assertThat(chats).extracting(c -> c.getJsonObject("body").getString("chat")).isEqualTo(said);
      assertThat(chats)
          .allSatisfy(
              c -> {
                assertThat(c.getString("type")).isEqualTo("rec");
                assertThat(c.getString("address")).isEqualTo(room);
              });
      assertThat(chats)
          .extracting(c -> c.getJsonObject("body").getLong("seq"))
          .isSorted()
          .doesNotHaveDuplicates();
      assertThat(socket.textFrames).as("frames sent as text").isEmpty();
      socket.close();
    }
    assertThat(watcher.messages(room).stream().filter(m -> "chat".equals(m.getString("type"))))
        .hasSize(said.size());
    watcher.close();
  }

  /** A raw websocket that keeps every frame it reads, with whether it came as binary. */
  private static final class RawSocket {
    final WebSocketClient client;
    final WebSocket socket;
    final List<JsonObject> binaryFrames = new CopyOnWriteArrayList<>();
    final List<String> textFrames = new CopyOnWriteArrayList<>();

    private RawSocket(WebSocketClient client, WebSocket socket) {
      this.client = client;
      this.socket = socket;
      socket.binaryMessageHandler(b -> binaryFrames.add(new JsonObject(b)));
      socket.textMessageHandler(textFrames::add);
    }

    static RawSocket open(Vertx vertx, String base, String sid, String room) {
      URI uri = URI.create(base);
      WebSocketClient client = vertx.createWebSocketClient();
      WebSocketConnectOptions options =
          new WebSocketConnectOptions()
              .setHost(uri.getHost())
              .setPort(uri.getPort())
              .setURI("/eventbus/websocket")
              .addHeader("Cookie", "roombus.sid=" + sid);
      RawSocket raw =
          await(
              client.connect(options).map(ws -> new RawSocket(client, ws)), Duration.ofSeconds(10));
      await(
          raw.socket.writeTextMessage(
              new JsonObject().put("type", "register").put("address", room).encode()),
          Duration.ofSeconds(10));
      return raw;
    }

    List<JsonObject> awaitChats(int count) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (chats().size() < count && System.nanoTime() < deadline) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return chats();
    }

    private List<JsonObject> chats() {
      return binaryFrames.stream()
          .filter(f -> f.getJsonObject("body") != null)
          .filter(f -> "chat".equals(f.getJsonObject("body").getString("type")))
          .toList();
    }

    void close() {
      await(client.close(), Duration.ofSeconds(10));
    }
  }
}
