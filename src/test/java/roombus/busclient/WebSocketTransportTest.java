package roombus.busclient;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.busclient.Waiting.await;
import static roombus.busclient.Waiting.until;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName(
    "Over the raw websocket, the session cookie goes with the handshake and binary and text frames read alike")
class WebSocketTransportTest {

  @Test
  @DisplayName(
      "it opens /eventbus/websocket under the hub's prefix with the cookie; a binary rec and a text message both reach the handler")
  void cookieAndFrames(Vertx vertx) throws Exception {
    List<String> handshakes = new CopyOnWriteArrayList<>();
    List<JsonObject> fromClient = new CopyOnWriteArrayList<>();
    HttpServer server =
        vertx
            .createHttpServer()
            .webSocketHandler(
                ws -> {
                  handshakes.add(ws.path() + " " + ws.headers().get("Cookie"));
                  ws.textMessageHandler(
                      text -> {
                        fromClient.add(new JsonObject(text));
                        ws.writeBinaryMessage(
                            Buffer.buffer(
                                "{\"type\":\"rec\",\"address\":\"chat.rooms\",\"body\":{\"type\":\"newRoom\"}}"));
                        ws.writeTextMessage(
                            "{\"type\":\"message\",\"address\":\"chat.rooms\",\"body\":{\"type\":\"count\"}}");
                      });
                });
    int port = await(server.listen(0, "127.0.0.1")).actualPort();
    List<String> events = new CopyOnWriteArrayList<>();

    BusClient bus =
        await(BusClient.websocket(vertx, HubUrl.of("http://127.0.0.1:" + port + "/hub/"), "s-1"));
    await(bus.register(BusAddresses.ROOM_LIST, null, m -> events.add(m.json().getString("type"))));

    assertThat(until(() -> events.size() == 2)).isTrue();
    assertThat(events).containsExactly("newRoom", "count");
    assertThat(handshakes).containsExactly("/hub/eventbus/websocket roombus.sid=s-1");
    assertThat(fromClient)
        .containsExactly(new JsonObject().put("type", "register").put("address", "chat.rooms"));
    await(bus.close());
    assertThat(bus.isOpen()).isFalse();
  }
}
