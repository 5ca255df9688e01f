package roombus.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static roombus.TestHub.await;
import static roombus.TestHub.eventually;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.TestHub;
import roombus.TestHub.User;
import roombus.busclient.BusClient;
import roombus.busclient.BusHeaders;
import roombus.busclient.BusMessage;
import roombus.busclient.HubUrl;

/**
 * bench/nginx.sh's nginx in front of two nodes (node 1 hosts the store): a websocket client and a
 * SockJS xhr-polling client chat through it, the polls spread over both nodes without sticky
 * sessions, and when node 2 is killed both clients reconnect through nginx and catch up.
 */
@Tag("nginx")
@ExtendWith(VertxExtension.class)
@DisplayName("nginx in front of the nodes")
class NginxTest {

  private static final Path NGINX = Path.of("/usr/sbin/nginx");
  private static final Duration FAILOVER_PATIENCE = Duration.ofSeconds(45);
  private static NodeProcess node1;
  private static NodeProcess node2;
  private static Path data;
  private static Path nginxDir;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        Files.isExecutable(NGINX),
        "nginx is missing: apt-get install -y nginx (.ci/run installs it)");
    data = TestHub.newDataDir();
    int storePort = TestHub.freePort();
    int hazelcast = 20_000 + (int) (Math.random() * 20_000);
    Map<String, String> common =
        Map.of(
            "CLUSTER_NAME",
            "roombus-nginx-" + UUID.randomUUID(),
            "CLUSTER_PORT",
            String.valueOf(hazelcast),
            "CLUSTER_MEMBERS",
            "127.0.0.1:" + hazelcast + ",127.0.0.1:" + (hazelcast + 1),
            "POSTS_PER_SECOND",
            "1000");
    node1 =
        NodeProcess.start(
            "nginx-node1",
            with(
                common,
                "STORE_PORT",
                String.valueOf(storePort),
                "DATA_DIR",
                data.resolve("n1").toString()));
    node2 =
        NodeProcess.start(
            "nginx-node2",
            with(
                common,
                "MONGO_URI",
                "mongodb://127.0.0.1:" + storePort,
                "DATA_DIR",
                data.resolve("n2").toString()));
    port = TestHub.freePort();
    nginxDir = data.resolve("nginx");
    run(
        "bash",
        "bench/nginx.sh",
        "start",
        String.valueOf(port),
        nginxDir.toString(),
        "127.0.0.1:" + node1.httpPort,
        "127.0.0.1:" + node2.httpPort);
  }

  @AfterAll
  static void stop() throws Exception {
    if (nginxDir != null) run("bash", "bench/nginx.sh", "stop", nginxDir.toString());
    for (NodeProcess node : new NodeProcess[] {node2, node1}) if (node != null) node.kill();
    if (data != null) TestHub.deleteTree(data);
  }

  @Test
  @DisplayName(
      "websocket and xhr-polling clients chat through nginx, polls go to both nodes, and both fail over when a node is killed")
  void chatAndFailover(Vertx vertx) throws Exception {
    String lb = "http://127.0.0.1:" + port;
    HubUrl hub = HubUrl.of(lb);
    User alice = User.arriving(lb);
    User bob = User.arriving(lb);
    String id = alice.createRoom("Balanced").getString("id");
    String room = "chat.room." + id;
    assertThat(bob.enter(id).status()).isEqualTo(200);

    Follower ws = new Follower(vertx, room, () -> BusClient.websocket(vertx, hub, alice.sid()));
    Follower xhr = new Follower(vertx, room, () -> BusClient.xhrPolling(vertx, hub, bob.sid()));
    eventually(() -> assertThat(ws.welcomed() && xhr.welcomed()).isTrue());

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    for (int i = 1; i <= 5; i++) {
      acknowledged.add(ws.post("ws " + i));
      acknowledged.add(xhr.post("xhr " + i));
    }
    eventually(
        () -> {
          assertThat(ws.seen()).containsAll(acknowledged);
          assertThat(xhr.seen()).containsAll(acknowledged);
        });
    String access = Files.readString(nginxDir.resolve("logs/access.log"));
    assertThat(access)
        .as("polls and sends of one SockJS session reach both nodes through nginx")
        .containsPattern("/xhr(_send)? HTTP/1.1\" 20\\d upstream=127.0.0.1:" + node1.httpPort)
        .containsPattern("/xhr(_send)? HTTP/1.1\" 20\\d upstream=127.0.0.1:" + node2.httpPort);

    node2.kill();

    List<String> after = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      String text = "after " + i;
      eventually(
          FAILOVER_PATIENCE,
          () ->
              assertThat(alice.say(id, text).status())
                  .isEqualTo(201)); // a POST that hit the dead node is not retried by nginx
      after.add(text);
      acknowledged.add(text);
    }
    eventually(
        FAILOVER_PATIENCE,
        () -> {
          assertThat(ws.seen()).containsAll(after);
          assertThat(xhr.seen()).containsAll(after);
        });
    assertThat(ws.post("ws again")).isEqualTo("ws again");
    assertThat(xhr.post("xhr again")).isEqualTo("xhr again");
    List<String> stored =
        alice.history(id).array().stream()
            .map(JsonObject.class::cast)
            .filter(m -> "chat".equals(m.getString("type")))
            .map(m -> m.getString("chat"))
            .toList();
    assertThat(stored).containsAll(acknowledged).doesNotHaveDuplicates();
  }

  /**
   * A client that stays in a room: when its connection ends it connects again (through nginx) and
   * catches up by seq.
   */
  private static final class Follower {
    private final Vertx vertx;
    private final String room;
    private final Supplier<Future<BusClient>> connect;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private volatile BusClient bus;
    private volatile long lastSeq;
    private volatile boolean welcomed;

    Follower(Vertx vertx, String room, Supplier<Future<BusClient>> connect) {
      this.vertx = vertx;
      this.room = room;
      this.connect = connect;
      open();
    }

    private void open() {
      connect
          .get()
          .onSuccess(
              client -> {
                bus = client.pingEvery(5_000);
                client.closeHandler(v -> vertx.setTimer(300, t -> open()));
                client.register(room, BusHeaders.since(lastSeq), this::received);
              })
          .onFailure(err -> vertx.setTimer(500, t -> open()));
    }

    private void received(BusMessage message) {
      JsonObject body = message.json();
      if ("welcome".equals(body.getString("type"))) welcomed = true;
      if (body.getString("chat") != null) seen.add(body.getString("chat"));
      lastSeq = Math.max(lastSeq, body.getLong("seq", 0L));
    }

    boolean welcomed() {
      return welcomed;
    }

    Set<String> seen() {
      return seen;
    }

    /**
     * Posts over this client's bridge connection, trying again on a new connection if it is gone;
     * answers the text once stored.
     */
    String post(String text) {
      long deadline = System.nanoTime() + FAILOVER_PATIENCE.toNanos();
      while (true) {
        try {
          return await(
                  bus.send(room, new JsonObject().put("chat", text), null), Duration.ofSeconds(10))
              .json()
              .getString("chat");
        } catch (RuntimeException e) {
          if (System.nanoTime() > deadline) throw e;
          eventually(() -> assertThat(bus.isOpen()).isTrue());
        }
      }
    }
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish");
    }
    String output = new String(process.getInputStream().readAllBytes());
    if (process.exitValue() != 0)
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
  }

  private static Map<String, String> with(Map<String, String> base, String... pairs) {
    Map<String, String> all = new HashMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) all.put(pairs[i], pairs[i + 1]);
    return all;
  }
}
