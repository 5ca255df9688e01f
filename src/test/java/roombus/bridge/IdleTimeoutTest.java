package roombus.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.eventually;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;

@ExtendWith(VertxExtension.class)
@DisplayName(
    "A client that goes silent is taken for dead and leaves its room within the ping timeout")
class IdleTimeoutTest {

  @Test
  @DisplayName(
      "a socket that stops pinging is closed and its user's exit is announced; those that ping"
          + " stay, however their ping is spelled")
  void silentClientLeaves(Vertx vertx, @StartHub(settings = "PING_TIMEOUT_MS=1500") TestHub hub) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Heartbeats").getString("id");
    String room = "chat.room." + id;
    BridgeSocket alert = alice.connect(vertx);
    alert.enterRoom(id);
    BridgeSocket spaced = alice.connect(vertx);
    spaced.enterRoom(id);
    assertThat(bob.enter(id).status()).isEqualTo(200);
    BridgeSocket silent = bob.connect(vertx);
    silent.enterRoom(id);
    long start = System.nanoTime();

    // alice pings every 200 ms like the browser client does; bob's client froze and sends nothing
    // more
    ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
    try {
      pinger.scheduleAtFixedRate(
          () -> {
            alert.send(new JsonObject().put("type", "ping"));
            spaced.sendText("{ \"type\" : \"ping\", \"headers\": {} }");
          },
          0,
          200,
          TimeUnit.MILLISECONDS);

      alert.awaitMessage(
          room, m -> "exit".equals(m.getString("type")) && bob.id().equals(m.getString("user")));
      long exitAfter = System.nanoTime() - start;
      eventually(() -> assertThat(silent.isClosed()).as("bob's socket closed").isTrue());

      assertThat(alert.isClosed()).isFalse();
      assertThat(spaced.isClosed()).isFalse();
      assertThat(spaced.frames()).noneMatch(f -> "err".equals(f.getString("type")));
      assertThat(exitAfter).isGreaterThan(1_000_000_000L); // not before the timeout
    } finally {
      pinger.shutdownNow();
    }
  }
}
