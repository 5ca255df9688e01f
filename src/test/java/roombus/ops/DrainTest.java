package roombus.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static roombus.TestHub.await;
import static roombus.TestHub.eventually;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.Reply;
import roombus.TestHub.User;
import roombus.busclient.BusClient;
import roombus.busclient.BusHeaders;
import roombus.busclient.BusMessage;
import roombus.busclient.HubUrl;

@ExtendWith(VertxExtension.class)
@DisplayName("Draining a node (the first part of its stop on SIGTERM)")
class DrainTest {

  @StartHub(tcpBridge = true)
  TestHub hub;

  @Test
  @DisplayName(
      "turns it not-ready, tells every client to reconnect elsewhere (close code 4001 on websocket, SockJS polling and TCP), keeps every acknowledged post, and opens no new connection")
  void drain(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    User carol = hub.newUser();
    String id = alice.createRoom("Closing time").getString("id");
    String room = "chat.room." + id;
    bob.enter(id);
    carol.enter(id);
    BridgeSocket ws = alice.connect(vertx);
    ws.enterRoom(id);
    HubUrl base = HubUrl.of(hub.base());
    List<BusMessage> polled = new CopyOnWriteArrayList<>();
    BusClient xhr = await(BusClient.xhrPolling(vertx, base, bob.sid()), Duration.ofSeconds(10));
    xhr.register(room, BusHeaders.since(0), polled::add);
    String token = carol.post("/api/token", new JsonObject()).json().getString("token");
    BusClient tcp =
        await(BusClient.tcp(vertx, "127.0.0.1", hub.tcpPort(), token), Duration.ofSeconds(10));
    tcp.register(room, null, m -> {});
    eventually(
        () -> assertThat(polled).anyMatch(m -> "welcome".equals(m.json().getString("type"))));
    assertThat(hub.newUser().get("/health/ready").status()).isEqualTo(200);

    List<Long> acknowledged = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      BusMessage stored =
          await(
              xhr.send(room, new JsonObject().put("chat", "before " + i), null),
              Duration.ofSeconds(10));
      acknowledged.add(stored.json().getLong("seq"));
    }

    hub.drain();

    Reply ready = hub.newUser().get("/health/ready");
    assertThat(ready.status()).isEqualTo(503);
    assertThat(HealthTest.check(ready, "draining").getString("status")).isEqualTo("DOWN");
    assertThat(HealthTest.check(ready, "store").getString("status")).isEqualTo("UP");
    assertThat(hub.newUser().get("/health/live").status()).isEqualTo(200);
    eventually(
        () -> {
          assertThat(ws.closeCode()).isEqualTo(BusClient.GOING_AWAY);
          assertThat(xhr.closeCode()).isEqualTo(BusClient.GOING_AWAY);
          assertThat(xhr.closeReason()).isEqualTo("going away: reconnect");
          assertThat(tcp.closeCode()).isEqualTo(BusClient.GOING_AWAY);
        });
    assertThatThrownBy(() -> alice.connect(vertx)).hasMessageContaining("503");

    JsonArray history = alice.history(id).array();
    List<Long> stored =
        history.stream().map(JsonObject.class::cast).map(m -> m.getLong("seq")).toList();
    assertThat(stored).containsAll(acknowledged);
  }
}
