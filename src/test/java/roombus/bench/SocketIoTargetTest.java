package roombus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static roombus.bench.LoadBenchSmokeTest.assertNoErrors;
import static roombus.bench.LoadBenchSmokeTest.run;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code --target socketio} against a stand-in for the Socket.IO peer: a Vert.x websocket server
 * that speaks the same Engine.IO v4 / Socket.IO v5 frames as the peer's {@code server.js}
 * (handshake, pings it expects answered quickly, namespace, join with ack, room broadcast with the
 * sender), so the test needs no Node.js. Its pings come much faster than a real server's, so a
 * client that did not answer them would be dropped within the run.
 */
class SocketIoTargetTest {

  private static final long PING_MS = 200;

  private Vertx vertx;
  private HttpServer server;
  private final AtomicInteger dropped = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Map<String, Set<ServerWebSocket>> rooms = new HashMap<>();
    server =
        vertx
            .createHttpServer()
            .webSocketHandler(
                ws -> {
                  if (!ws.path().equals("/socket.io/") || !ws.query().contains("EIO=4")) {
                    ws.close((short) 1008);
                    return;
                  }
                  long[] lastPong = {System.currentTimeMillis()};
                  ws.writeTextMessage(
                      "0{\"sid\":\"s\",\"upgrades\":[],\"pingInterval\":"
                          + PING_MS
                          + ",\"pingTimeout\":"
                          + PING_MS
                          + ",\"maxPayload\":1000000}");
                  long pinger =
                      vertx.setPeriodic(
                          PING_MS,
                          id -> {
                            if (System.currentTimeMillis() - lastPong[0] > 2 * PING_MS + 100) {
                              dropped.incrementAndGet();
                              ws.close();
                            } else {
                              ws.writeTextMessage("2");
                            }
                          });
                  ws.closeHandler(
                      v -> {
                        vertx.cancelTimer(pinger);
                        rooms.values().forEach(room -> room.remove(ws));
                      });
                  ws.textMessageHandler(
                      frame -> {
                        if (frame.equals("3")) {
                          lastPong[0] = System.currentTimeMillis();
                        } else if (frame.equals("40/chat,")) {
                          ws.writeTextMessage("40/chat,{\"sid\":\"n\"}");
                        } else if (frame.startsWith("42/chat,")) {
                          String rest = frame.substring("42/chat,".length());
                          int bracket = rest.indexOf('[');
                          String ack = rest.substring(0, bracket);
                          JsonArray event = new JsonArray(rest.substring(bracket));
                          JsonObject data = event.getJsonObject(1);
                          if (event.getString(0).equals("join")) {
                            rooms
                                .computeIfAbsent(data.getString("room"), k -> new HashSet<>())
                                .add(ws);
                            if (!ack.isEmpty())
                              ws.writeTextMessage("43/chat," + ack + "[{\"ok\":true}]");
                          } else if (event.getString(0).equals("chat")) {
                            String out =
                                "42/chat," + new JsonArray().add("chat").add(data).encode();
                            for (ServerWebSocket member :
                                rooms.getOrDefault(data.getString("room"), Set.of()))
                              member.writeTextMessage(out);
                          }
                        }
                      });
                });
    // one event loop only: the rooms map is touched by every connection
    server
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName(
      "a short run joins every socket, answers the pings and gets every message to every socket of its room")
  void loadRun() {
    String pid = String.valueOf(ProcessHandle.current().pid());
    List<JsonObject> lines =
        run(
            "--target",
            "socketio",
            "--url",
            "http://127.0.0.1:" + server.actualPort(),
            "--clients",
            "8",
            "--room-size",
            "4",
            "--rate",
            "20",
            "--warmup",
            "0.5",
            "--duration",
            "2",
            "--drain",
            "5",
            "--server-pid",
            pid,
            "--quiet");

    assertThat(lines).hasSize(1);
    JsonObject line = lines.get(0);
    assertThat(line.getString("target")).isEqualTo("socketio");
    assertThat(line.getInteger("clients")).isEqualTo(8);
    assertThat(line.getLong("sent")).isPositive();
    assertThat(line.getLong("expected")).isEqualTo(line.getLong("sent") * 4);
    assertThat(line.getDouble("delivery_ratio")).isEqualTo(1.0);
    assertThat(line.getJsonObject("server").fieldNames())
        .contains("cpu_us_per_delivery", "peak_rss_mb");
    assertNoErrors(line);
    assertThat(dropped.get()).as("sockets dropped for a missing pong").isZero();
  }

  @Test
  @DisplayName("the idle mode holds Socket.IO sockets in their rooms too")
  void idleRun() {
    List<JsonObject> lines =
        run(
            "--target",
            "socketio",
            "--url",
            "http://127.0.0.1:" + server.actualPort(),
            "--clients",
            "6",
            "--room-size",
            "3",
            "--idle",
            "--settle",
            "0.2",
            "--duration",
            "1",
            "--quiet");

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).getString("scenario")).isEqualTo("idle");
    assertThat(lines.get(0).getInteger("clients")).isEqualTo(6);
    assertNoErrors(lines.get(0));
    assertThat(dropped.get()).isZero();
  }

  @Test
  @DisplayName(
      "options: the room size is the server's to refuse; socketio has no polling; --ramp-stop is the saturation criterion")
  void options() {
    assertThat(
            BenchOptions.parse("--target", "socketio", "--clients", "500", "--room-size", "500")
                .usersPerRoom())
        .isEqualTo(500);
    assertThat(BenchOptions.parse("--target", "socketio").urls())
        .containsExactly("http://127.0.0.1:3101");
    // a roombus hub seats as many as its MAX_ROOM_SIZE allows: the tool does not guess
    assertThat(BenchOptions.parse("--clients", "500", "--room-size", "500").usersPerRoom())
        .isEqualTo(500);
    assertThatThrownBy(
            () -> BenchOptions.parse("--target", "socketio", "--transport", "xhr-polling"))
        .hasMessageContaining("websocket only");
    BenchOptions ramp = BenchOptions.parse("--ramp", "1000,2000", "--ramp-stop", "0.999,100");
    assertThat(ramp.stopsRamp(1.0, 99.9)).isFalse();
    assertThat(ramp.stopsRamp(0.9989, 5)).isTrue();
    assertThat(ramp.stopsRamp(1.0, 100)).isTrue();
    assertThat(BenchOptions.parse("--ramp", "1000,2000").stopsRamp(0, 1e6)).isFalse();
  }
}
