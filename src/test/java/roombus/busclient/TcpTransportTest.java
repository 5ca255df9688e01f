package roombus.busclient;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.busclient.Waiting.await;
import static roombus.busclient.Waiting.until;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName(
    "Over the TCP bridge, frames are length-prefixed both ways and the token rides in every frame's headers")
class TcpTransportTest {

  private final List<JsonObject> fromClient = new CopyOnWriteArrayList<>();
  private volatile NetSocket hubSide;

  /** A stand-in for the hub's TCP bridge: keeps every whole frame the client sends. */
  private int listen(Vertx vertx) throws Exception {
    NetServer server =
        vertx
            .createNetServer()
            .connectHandler(
                socket -> {
                  hubSide = socket;
                  RecordParser parser = RecordParser.newFixed(4, socket);
                  boolean[] length = {true};
                  parser.handler(
                      record -> {
                        if (length[0]) {
                          parser.fixedSizeMode(record.getInt(0));
                        } else {
                          fromClient.add(record.toJsonObject());
                          parser.fixedSizeMode(4);
                        }
                        length[0] = !length[0];
                      });
                });
    return await(server.listen(0, "127.0.0.1")).actualPort();
  }

  @Test
  @DisplayName(
      "register and send carry the token; frames from the hub arrive whole however the bytes are split")
  void tokenAndFraming(Vertx vertx) throws Exception {
    int port = listen(vertx);
    BusClient bus = await(BusClient.tcp(vertx, "127.0.0.1", port, "tok-1"));
    List<BusMessage> messages = new CopyOnWriteArrayList<>();

    await(bus.register("chat.room.r1", BusHeaders.since(3), messages::add));
    var reply = bus.send("chat.room.r1", new JsonObject().put("chat", "beep"), null);
    assertThat(until(() -> fromClient.size() == 2)).isTrue();

    assertThat(fromClient.get(0).getJsonObject("headers"))
        .isEqualTo(new JsonObject().put("token", "tok-1").put("since", "3"));
    assertThat(fromClient.get(1).getJsonObject("headers"))
        .isEqualTo(new JsonObject().put("token", "tok-1"));
    Buffer welcome =
        TcpTransport.framed(
            Buffer.buffer(
                "{\"type\":\"message\",\"address\":\"chat.room.r1\",\"body\":{\"type\":\"welcome\"}}"));
    Buffer chat =
        TcpTransport.framed(
            Buffer.buffer(
                "{\"type\":\"message\",\"address\":\"chat.room.r1\",\"body\":{\"type\":\"chat\"}}"));
    Buffer ack =
        TcpTransport.framed(
            new JsonObject()
                .put("type", "message")
                .put("send", true)
                .put("address", fromClient.get(1).getString("replyAddress"))
                .put("body", new JsonObject().put("seq", 9))
                .toBuffer());
    hubSide.write(welcome.getBuffer(0, 2));
    hubSide.write(welcome.getBuffer(2, 11));
    hubSide.write(welcome.getBuffer(11, welcome.length()).appendBuffer(chat).appendBuffer(ack));

    assertThat(await(reply).json().getLong("seq")).isEqualTo(9L);
    assertThat(messages)
        .extracting(m -> m.json().getString("type"))
        .containsExactly("welcome", "chat");
  }

  @Test
  @DisplayName(
      "writeBytes sends bytes as they are, and the close handler runs when the hub hangs up")
  void rawBytesAndClose(Vertx vertx) throws Exception {
    int port = listen(vertx);
    BusClient bus = await(BusClient.tcp(vertx, "127.0.0.1", port, null));
    List<String> events = new CopyOnWriteArrayList<>();
    bus.closeHandler(v -> events.add("closed"));

    await(
        ((TcpTransport) bus.transport())
            .writeBytes(TcpTransport.framed(Buffer.buffer("{\"type\":\"ping\"}"))));
    assertThat(until(() -> fromClient.size() == 1)).isTrue();
    hubSide.close();

    assertThat(fromClient.get(0)).isEqualTo(new JsonObject().put("type", "ping"));
    assertThat(until(() -> events.contains("closed"))).isTrue();
    assertThat(bus.isOpen()).isFalse();
  }
}
