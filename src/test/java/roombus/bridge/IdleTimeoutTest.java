package roombus.bridge;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@DisplayName("A client that goes silent is taken for dead and leaves its room within the ping timeout")
class IdleTimeoutTest {

  @Test
  @DisplayName("a socket that stops pinging is closed and its user's exit is announced; one that pings stays")
  void silentClientLeaves(Vertx vertx) throws Exception {
    try (TestHub hub = TestHub.start(Map.of("PING_TIMEOUT_MS", "1500"))) {
      User alice = hub.newUser();
      User bob = hub.newUser();
      String id = alice.createRoom("Heartbeats").getString("id");
      String room = "chat.room." + id;
      BridgeSocket alert = alice.connect(vertx);
      alert.enterRoom(id);
      assertThat(bob.enter(id).status()).isEqualTo(200);
      BridgeSocket silent = bob.connect(vertx);
      silent.enterRoom(id);
      long start = System.nanoTime();

      // alice pings like the browser client does; bob's client froze and sends nothing more
      JsonObject exit = null;
      while (exit == null && System.nanoTime() - start < 10_000_000_000L) {
        alert.send(new JsonObject().put("type", "ping"));
        exit = alert.messages(room).stream()
            .filter(m -> "exit".equals(m.getString("type")) && bob.id().equals(m.getString("user"))).findFirst().orElse(null);
        Thread.sleep(200); // the ping interval of this client, not a wait for a condition
      }

      assertThat(exit).as("bob's exit notice").isNotNull();
      assertThat(silent.isClosed()).isTrue();
      assertThat(alert.isClosed()).isFalse();
      assertThat(System.nanoTime() - start).isGreaterThan(1_000_000_000L); // not before the timeout
    }
  }
}
