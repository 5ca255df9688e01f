package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.eventually;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TcpBridgeSocket;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;
import roombus.XhrPollingClient;

@ExtendWith(VertxExtension.class)
@DisplayName("One session holds at most 20 bridge connections on a node")
class ConnectionLimitsTest {

  @StartHub(tcpBridge = true)
  private static TestHub hub;

  @Test
  @DisplayName(
      "the 21st websocket of a session gets an err frame saying why and is closed; once one of the"
          + " 20 closes, a new one is accepted")
  void twentyFirstWebsocket(Vertx vertx) {
    User mallory = hub.newUser();
    List<BridgeSocket> sockets = openTwenty(mallory, vertx);

    BridgeSocket extra = mallory.connect(vertx);

    JsonObject err = extra.awaitFrame("an err frame", f -> "err".equals(f.getString("type")));
    assertThat(err.getString("body")).isEqualTo("rate_limited");
    assertThat(err.getString("message")).contains("connections").contains("20");
    eventually(() -> assertThat(extra.isClosed()).as("the 21st is closed").isTrue());
    assertThat(extra.closeCode()).isEqualTo(4029);
    for (BridgeSocket socket : sockets) assertThat(socket.isClosed()).isFalse();

    sockets.remove(0).close();
    BridgeSocket again =
        TestHub.poll(
            () -> {
              BridgeSocket next = mallory.connect(vertx);
              if (!refused(next)) return next;
              next.close();
              return null;
            });
    assertThat(again).as("a new connection once one closed").isNotNull();
    again.listenToRoomList();
    assertThat(again.isClosed()).isFalse();
    assertThat(hub.newUser().connect(vertx).listenToRoomList().isClosed())
        .as("another session's connection")
        .isFalse();
    sockets.forEach(BridgeSocket::close);
    again.close();
  }

  @Test
  @DisplayName("SockJS polling sessions count as connections of the session too")
  void pollingCounts(Vertx vertx) {
    User mallory = hub.newUser();
    List<BridgeSocket> sockets = openTwenty(mallory, vertx);

    try (XhrPollingClient polling =
        new XhrPollingClient(vertx, List.of(hub.base()), mallory.sid())) {
      JsonObject err = polling.awaitFrame(f -> "err".equals(f.getString("type")));
      assertThat(err.getString("message")).contains("connections");
      polling.awaitFrame(f -> "closed".equals(f.getString("type")));
    }
    sockets.forEach(BridgeSocket::close);
  }

  @Test
  @DisplayName(
      "a TCP bridge connection counts under the session of its token: with 20 websockets open, it"
          + " is refused when it presents the token")
  void tcpTokenCounts(Vertx vertx) {
    User mallory = hub.newUser();
    String token = mallory.post("/api/token", new JsonObject()).json().getString("token");
    List<BridgeSocket> sockets = openTwenty(mallory, vertx);

    try (TcpBridgeSocket tcp = TcpBridgeSocket.open(vertx, hub.tcpPort())) {
      tcp.register("chat.rooms", token);
      JsonObject err = tcp.awaitFrame("an err frame", f -> "err".equals(f.getString("type")));
      assertThat(err.getInteger("failureCode")).isEqualTo(4029);
      eventually(() -> assertThat(tcp.isClosed()).isTrue());
    }
    sockets.remove(0).close();
    TcpBridgeSocket accepted =
        TestHub.poll(
            () -> {
              TcpBridgeSocket tcp = TcpBridgeSocket.open(vertx, hub.tcpPort());
              tcp.register("chat.rooms", token);
              if (!refused(tcp::register, tcp::awaitFrame)) return tcp;
              tcp.close();
              return null;
            });
    assertThat(accepted).as("a token connection once a websocket closed").isNotNull();
    accepted.close();
    sockets.forEach(BridgeSocket::close);
  }

  /**
   * Whether the hub refused a connection it has just opened: a refused one gets its err frame
   * first, then is closed; an accepted one answers a probe on an address nobody may use.
   */
  private static boolean refused(BridgeSocket socket) {
    return refused(socket::register, socket::awaitFrame);
  }

  private static boolean refused(
      Consumer<String> register, BiFunction<String, Predicate<JsonObject>, JsonObject> awaitFrame) {
    try {
      register.accept("not.allowed.probe");
    } catch (RuntimeException closed) {
      // closed already: its err frame came first
    }
    JsonObject err = awaitFrame.apply("an err frame", f -> "err".equals(f.getString("type")));
    return "rate_limited".equals(err.getString("body"));
  }

  /** Twenty connections of {@code user}, each listening to the room list. */
  private static List<BridgeSocket> openTwenty(User user, Vertx vertx) {
    List<BridgeSocket> sockets = new ArrayList<>();
    for (int i = 0; i < 20; i++) sockets.add(user.connect(vertx).listenToRoomList());
    for (BridgeSocket socket : sockets) {
      assertThat(socket.isClosed()).isFalse();
      assertThat(socket.frames()).noneMatch(f -> "rate_limited".equals(f.getString("body")));
    }
    return sockets;
  }
}
