package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;

@ExtendWith(VertxExtension.class)
@DisplayName(
    "A client that vanishes without a goodbye (no close frame, no FIN) gives its seat back within the ping timeout")
class DeadPeerTest {

  /**
   * How long the exit may take. The ping timeout is 1.5 s and idle clients are looked for every
   * second; this bound stays below the 10 s a websocket close handshake waits for an answer, so a
   * hub that waits for the dead client's close frame before letting it go fails here.
   */
  private static final Duration EXIT_WITHIN = Duration.ofSeconds(8);

  enum Transport {
    RAW_WEBSOCKET {
      @Override
      DeadPeer open(TestHub hub, User user, String address) {
        return DeadPeer.rawWebSocket(hub.base(), user.sid(), address);
      }
    },
    SOCKJS_WEBSOCKET {
      @Override
      DeadPeer open(TestHub hub, User user, String address) {
        return DeadPeer.sockJsWebSocket(hub.base(), user.sid(), address);
      }
    },
    SOCKJS_XHR_POLLING {
      @Override
      DeadPeer open(TestHub hub, User user, String address) {
        return DeadPeer.xhrPolling(hub.base(), user.sid(), address);
      }
    },
    TCP_BRIDGE {
      @Override
      DeadPeer open(TestHub hub, User user, String address) {
        String token = user.post("/api/token", new JsonObject()).json().getString("token");
        return DeadPeer.tcp(hub.tcpPort(), token, address);
      }
    };

    abstract DeadPeer open(TestHub hub, User user, String address);
  }

  @ParameterizedTest(name = "over {0}")
  @EnumSource(Transport.class)
  @DisplayName(
      "its exit is announced to the others, a newcomer takes its place in a full room, and the hub writes nothing more to it")
  void vanishedClientLeaves(
      Transport transport,
      Vertx vertx,
      @StartHub(settings = "PING_TIMEOUT_MS=1500", tcpBridge = true) TestHub hub) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Dead peers", 2, null).getString("id");
    String room = "chat.room." + id;
    BridgeSocket watcher = alice.connect(vertx);
    watcher.enterRoom(id);
    assertThat(bob.enter(id).status()).isEqualTo(200);

    ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
    try (DeadPeer dead = transport.open(hub, bob, room)) {
      // alice's client pings as the browser does; bob's went away right after entering
      pinger.scheduleAtFixedRate(
          () -> watcher.send(new JsonObject().put("type", "ping")), 0, 200, TimeUnit.MILLISECONDS);
      watcher.awaitMessage(
          room, m -> "join".equals(m.getString("type")) && bob.id().equals(m.getString("user")));
      assertThat(hub.newUser().enter(id).status())
          .as("the room of two is full while bob is in")
          .isEqualTo(409);

      JsonObject exit =
          TestHub.poll(
              EXIT_WITHIN,
              () ->
                  watcher.messages(room).stream()
                      .filter(
                          m ->
                              "exit".equals(m.getString("type"))
                                  && bob.id().equals(m.getString("user")))
                      .findFirst()
                      .orElse(null));
      assertThat(exit).as("bob's exit, announced within %s", EXIT_WITHIN).isNotNull();

      assertThat(hub.newUser().enter(id).status()).as("a newcomer gets bob's place").isEqualTo(200);
      String marker = "after bob left " + UUID.randomUUID();
      assertThat(alice.say(id, marker).status()).isEqualTo(201);
      watcher.awaitMessage(room, m -> marker.equals(m.getString("chat")));
      assertThat(dead.unread(Duration.ofMillis(500)))
          .as("what the hub wrote to bob's dead client")
          .doesNotContain(marker);
    } finally {
      pinger.shutdownNow();
    }
  }
}
