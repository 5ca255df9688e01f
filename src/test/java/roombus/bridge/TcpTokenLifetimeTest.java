package roombus.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.eventually;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TcpBridgeSocket;
import roombus.TestHub;
import roombus.TestHub.User;

@ExtendWith(VertxExtension.class)
@DisplayName("A TCP bridge token lives TOKEN_TTL_MS; a connection it bound stays bound")
class TcpTokenLifetimeTest {

  private static final int TTL_MS = 2000;

  @StartHub(tcpBridge = true, settings = "TOKEN_TTL_MS=" + TTL_MS)
  private static TestHub hub;

  @Test
  @DisplayName(
      "after its lifetime a token binds no new connection, while the connection it bound keeps posting")
  void expiry(Vertx vertx) {
    User alice = hub.newUser();
    String id = alice.createRoom("Short-lived").getString("id");
    JsonObject issued = alice.post("/api/token", new JsonObject()).json();
    String token = issued.getString("token");
    assertThat(Duration.between(Instant.now(), Instant.parse(issued.getString("expiresAt"))))
        .isLessThanOrEqualTo(Duration.ofMillis(TTL_MS));
    TcpBridgeSocket bound = TcpBridgeSocket.open(vertx, hub.tcpPort());
    bound.enterRoom(id, token);

    // a probe that is answered either way: refused for its address once bound, or for its token
    eventually(
        () -> {
          TcpBridgeSocket late = TcpBridgeSocket.open(vertx, hub.tcpPort());
          try {
            late.send(
                new JsonObject()
                    .put("type", "send")
                    .put("address", "probe")
                    .put("body", new JsonObject())
                    .put("headers", new JsonObject().put("token", token)));
            assertThat(late.awaitError("probe").getString("message"))
                .isEqualTo("Unknown or expired token");
          } finally {
            late.close();
          }
        });

    bound.send(
        new JsonObject()
            .put("type", "send")
            .put("address", "chat.room." + id)
            .put("replyAddress", "still")
            .put("body", new JsonObject().put("chat", "still here"))
            .put("headers", new JsonObject().put("token", token)));
    JsonObject ack =
        bound.awaitFrame("the acknowledgement", f -> "still".equals(f.getString("address")));
    assertThat(ack.getJsonObject("body").getString("user")).isEqualTo(alice.id());
  }
}
