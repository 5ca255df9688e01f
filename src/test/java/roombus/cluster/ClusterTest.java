package roombus.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.eventually;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.TcpBridgeSocket;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.Reply;
import roombus.TestHub.User;
import roombus.XhrPollingClient;
import roombus.browser.Browser;
import roombus.browser.BrowserTest;

/**
 * Three roombus nodes, each its own JVM, clustered over loopback. Node 1 hosts the embedded store
 * and the others use it over the network, as README's three-node cluster does. The last test kills
 * node 3. Every node process and browser is closed whatever fails; the event-bus clients go with
 * the test's Vert.x.
 */
@Tag("cluster")
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Several nodes make one hub")
class ClusterTest {

  private static final Duration NODE_DEATH_PATIENCE = Duration.ofSeconds(15);
  private static NodeProcess node1;
  private static NodeProcess node2;
  private static NodeProcess node3;
  private static NodeProcess node4;
  private static Path data;
  private static Map<String, String> common;
  private static String store;
  private static int node2TcpPort;

  /** The browsers the running test opened. */
  private final List<Browser> browsers = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    data = TestHub.newDataDir();
    int storePort = TestHub.freePort();
    int hazelcastPort = 20_000 + (int) (Math.random() * 20_000);
    common =
        Map.of(
            "CLUSTER_NAME",
            "roombus-test-" + UUID.randomUUID(),
            "CLUSTER_PORT",
            String.valueOf(hazelcastPort),
            "CLUSTER_MEMBERS",
            "127.0.0.1:"
                + hazelcastPort
                + ",127.0.0.1:"
                + (hazelcastPort + 1)
                + ",127.0.0.1:"
                + (hazelcastPort + 2),
            "POSTS_PER_SECOND",
            "1000",
            // a dead node's users leave after this grace (they may reconnect elsewhere meanwhile)
            "PRESENCE_GRACE_MS",
            "1000");
    node1 =
        NodeProcess.start(
            "node1",
            with(
                common,
                "STORE_PORT",
                String.valueOf(storePort),
                "DATA_DIR",
                data.resolve("node1").toString()));
    store = "mongodb://127.0.0.1:" + storePort;
    node2TcpPort = TestHub.freePort();
    node2 =
        NodeProcess.start(
            "node2",
            with(
                common,
                "MONGO_URI",
                store,
                "DATA_DIR",
                data.resolve("node2").toString(),
                "TCP_BRIDGE_PORT",
                String.valueOf(node2TcpPort)));
    node3 =
        NodeProcess.start(
            "node3",
            with(common, "MONGO_URI", store, "DATA_DIR", data.resolve("node3").toString()));
  }

  @AfterEach
  void closeBrowsers() {
    browsers.forEach(Browser::close);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    Exception failed = null;
    for (NodeProcess node : new NodeProcess[] {node4, node3, node2, node1}) {
      try {
        if (node != null) node.close();
      } catch (Exception e) {
        if (failed == null) failed = e;
        else failed.addSuppressed(e);
      }
    }
    if (data != null) TestHub.deleteTree(data);
    if (failed != null) throw failed;
  }

  @Test
  @Order(1)
  @DisplayName(
      "users on different nodes chat and share GIFs in both directions; every node serves the GIF")
  void crossNodeChat(Vertx vertx) throws Exception {
    User alice = User.arriving(node1.base());
    User bob = User.arriving(node2.base());
    String id = alice.createRoom("Across").getString("id");
    assertThat(bob.enter(id).status()).isEqualTo(200);
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);
    String room = "chat.room." + id;

    aliceSocket.awaitMessage(
        room, m -> "join".equals(m.getString("type")) && bob.id().equals(m.getString("user")));

    aliceSocket.send(
        new JsonObject()
            .put("type", "send")
            .put("address", room)
            .put("body", new JsonObject().put("chat", "hi from node 1")));
    bobSocket.awaitMessage(
        room,
        m ->
            "hi from node 1".equals(m.getString("chat")) && alice.id().equals(m.getString("user")));
    bobSocket.send(
        new JsonObject()
            .put("type", "send")
            .put("address", room)
            .put("body", new JsonObject().put("chat", "hi from node 2")));
    aliceSocket.awaitMessage(
        room,
        m -> "hi from node 2".equals(m.getString("chat")) && bob.id().equals(m.getString("user")));

    byte[] gif = gif();
    Reply fromBob = bob.upload("/api/rooms/" + id + "/gifs", "gif", "b.gif", "image/gif", gif);
    assertThat(fromBob.status()).isEqualTo(201);
    JsonObject seenByAlice = aliceSocket.awaitMessage(room, m -> "gif".equals(m.getString("type")));
    Reply fromAlice = alice.upload("/api/rooms/" + id + "/gifs", "gif", "a.gif", "image/gif", gif);
    assertThat(fromAlice.status()).isEqualTo(201);
    bobSocket.awaitMessage(room, m -> fromAlice.json().getString("gif").equals(m.getString("gif")));

    User carol = User.arriving(node3.base()); // a node neither of them is on serves the stored GIF
    Reply served = carol.get("/gif/" + seenByAlice.getString("gif"));
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.header("Content-Type")).isEqualTo("image/gif");
    assertThat(served.bytes()).isEqualTo(gif);
  }

  @Test
  @Order(2)
  @DisplayName("every node's room list shows the same rooms and the same counts")
  void clusterWideCounts(Vertx vertx) {
    List<BridgeSocket> watchers = new ArrayList<>();
    for (NodeProcess node : List.of(node1, node2, node3)) {
      watchers.add(User.arriving(node.base()).connect(vertx).listenToRoomList());
    }
    User owner = User.arriving(node1.base());
    String id = owner.createRoom("Counted", 5, null).getString("id");
    watchers.forEach(
        w ->
            w.awaitMessage(
                "chat.rooms",
                e -> "newRoom".equals(e.getString("type")) && id.equals(e.getString("id"))));

    List<User> people = List.of(owner, User.arriving(node2.base()), User.arriving(node3.base()));
    for (User person : people) {
      assertThat(person.enter(id).status()).isEqualTo(200);
      person.connect(vertx).enterRoom(id);
    }

    for (BridgeSocket watcher : watchers) {
      eventually(() -> assertThat(watcher.occupancy(id)).endsWith(3));
    }
    for (NodeProcess node : List.of(node1, node2, node3)) {
      JsonObject listed =
          User.arriving(node.base()).get("/api/rooms").array().stream()
              .map(JsonObject.class::cast)
              .filter(r -> id.equals(r.getString("id")))
              .findFirst()
              .orElseThrow();
      assertThat(listed.getInteger("count")).isEqualTo(3);
    }
  }

  @Test
  @Order(3)
  @DisplayName(
      "twenty users on three nodes race for a room of ten: exactly ten get in, the rest get 409")
  void occupancyRace() throws Exception {
    User owner = User.arriving(node1.base());
    String id = owner.createRoom("Race", 10, null).getString("id");
    List<NodeProcess> nodes = List.of(node1, node2, node3);
    List<User> racers = new ArrayList<>();
    for (int i = 0; i < 20; i++) racers.add(User.arriving(nodes.get(i % 3).base()));

    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Callable<Integer>> entries =
          racers.stream().<Callable<Integer>>map(u -> () -> u.enter(id).status()).toList();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : pool.invokeAll(entries)) statuses.add(f.get());
      assertThat(statuses).containsOnly(200, 409);
      assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(10);
      assertThat(statuses.stream().filter(s -> s == 409).count()).isEqualTo(10);
    } finally {
      pool.shutdownNow();
    }
    JsonObject listed =
        owner.get("/api/rooms").array().stream()
            .map(JsonObject.class::cast)
            .filter(r -> id.equals(r.getString("id")))
            .findFirst()
            .orElseThrow();
    assertThat(listed.getInteger("count")).isEqualTo(10);
  }

  @Test
  @Order(4)
  @DisplayName("a session is good on every node: same identity, same room access")
  void sessionsAreClusterWide() {
    User alice = User.arriving(node1.base());
    String id = alice.createRoom("Roaming", null, "secret").getString("id");
    User aliceOnNode2 = alice.at(node2.base());
    JsonObject me = aliceOnNode2.get("/api/me").json();
    assertThat(me.getString("user")).isEqualTo(alice.id());
    assertThat(me.getString("color")).isEqualTo(alice.color());
    // she entered (created) the locked room on node 1; node 3 lets her post without the password
    // again
    Reply posted = alice.at(node3.base()).say(id, "posted on node 3");
    assertThat(posted.status()).isEqualTo(201);
    assertThat(posted.json().getString("user")).isEqualTo(alice.id());
    assertThat(alice.at(node3.base()).enter(id).status()).isEqualTo(200);
  }

  @Test
  @Order(4)
  @DisplayName(
      "one user creating rooms on three nodes in turn gets at most the limit rounded up to a multiple"
          + " of three (each node allows ceil(10 / 3) = 4 a minute), not three times the limit")
  void creationLimitIsClusterWide() {
    User mallory = User.arriving(node1.base());
    List<User> onNodes = List.of(mallory, mallory.at(node2.base()), mallory.at(node3.base()));

    int created = 0;
    for (int i = 0; i < 30; i++) {
      Reply reply =
          onNodes.get(i % 3).post("/api/rooms", new JsonObject().put("title", "Spread " + i));
      assertThat(reply.status()).as("creation %d: %s", i, reply).isIn(201, 429);
      if (reply.status() == 201) created++;
    }

    assertThat(created).as("rooms created over three nodes").isBetween(10, 12);
  }

  @Test
  @Order(4)
  @DisplayName(
      "a token issued by one node binds a TCP bridge client on another: same user, same room access")
  void tokensAreClusterWide(Vertx vertx) {
    User alice = User.arriving(node1.base());
    User bob = User.arriving(node3.base());
    String id = alice.createRoom("Bots across nodes").getString("id");
    String token = alice.post("/api/token", new JsonObject()).json().getString("token");
    assertThat(bob.enter(id).status()).isEqualTo(200);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);
    TcpBridgeSocket bot = TcpBridgeSocket.open(vertx, node2TcpPort);

    JsonObject welcome = bot.enterRoom(id, token);
    bot.send(
        new JsonObject()
            .put("type", "send")
            .put("address", "chat.room." + id)
            .put("body", new JsonObject().put("chat", "beep from node 2")));

    assertThat(welcome.getString("user")).isEqualTo(alice.id());
    JsonObject seen =
        bobSocket.awaitMessage(
            "chat.room." + id, m -> "beep from node 2".equals(m.getString("chat")));
    assertThat(seen.getString("user")).isEqualTo(alice.id());
  }

  @Test
  @Order(5)
  @DisplayName(
      "a polling client whose requests alternate between two nodes chats as if it had one (no sticky sessions)")
  void pollingWithoutStickySessions(Vertx vertx) {
    User alice = User.arriving(node1.base());
    User bob = User.arriving(node2.base());
    String id = alice.createRoom("Unsticky").getString("id");
    String room = "chat.room." + id;
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    assertThat(bob.enter(id).status()).isEqualTo(200);

    try (XhrPollingClient polling =
        new XhrPollingClient(vertx, List.of(node1.base(), node2.base()), bob.sid())) {
      polling.send(new JsonObject().put("type", "register").put("address", room));
      polling.awaitMessage(room, m -> "welcome".equals(m.getString("type")));
      for (int i = 0; i < 6; i++) {
        polling.send(
            new JsonObject()
                .put("type", "send")
                .put("address", room)
                .put("replyAddress", "ack-" + i)
                .put("body", new JsonObject().put("chat", "unsticky " + i)));
        String ack = "ack-" + i;
        polling.awaitFrame(f -> ack.equals(f.getString("address")));
        alice.say(id, "answer " + i);
        polling.awaitMessage(room, m -> ("answer " + ack.substring(4)).equals(m.getString("chat")));
      }
      for (int i = 0; i < 6; i++) {
        String text = "unsticky " + i;
        aliceSocket.awaitMessage(
            room, m -> text.equals(m.getString("chat")) && bob.id().equals(m.getString("user")));
      }
      assertThat(polling.served()).contains(node1.base(), node2.base());
    }
  }

  @Test
  @Order(5)
  @DisplayName(
      "a user the owner removes on one node cannot post on any node from that moment, whichever node numbers the room")
  void removalHoldsOnEveryNode() {
    User alice = User.arriving(node1.base());
    User bob = User.arriving(node2.base());
    for (int r = 0; r < 4; r++) { // rooms spread over the numbering nodes
      String id = alice.createRoom("Removal " + r).getString("id");
      assertThat(bob.enter(id).status()).isEqualTo(200);
      assertThat(bob.say(id, "still welcome").status()).isEqualTo(201);
      assertThat(bob.at(node3.base()).say(id, "from node 3 too").status()).isEqualTo(201);

      assertThat(
              alice
                  .post("/api/rooms/" + id + "/kick", new JsonObject().put("user", bob.id()))
                  .status())
          .isEqualTo(200);

      assertThat(bob.at(node3.base()).say(id, "after removal, node 3").status()).isEqualTo(403);
      assertThat(bob.say(id, "after removal, node 2").status()).isEqualTo(403);
      assertThat(
              alice.history(id).array().stream()
                  .map(JsonObject.class::cast)
                  .map(m -> m.getString("chat")))
          .doesNotContain("after removal, node 3", "after removal, node 2");
    }
  }

  @Test
  @Order(6)
  @BrowserTest
  @DisplayName(
      "kill -9 of a node: its user leaves the room everywhere, survivors keep chatting, "
          + "and the user's reconnect on another node catches up on every message missed")
  void nodeDies(Vertx vertx) throws Exception {
    User alice = User.arriving(node1.base());
    User bob = User.arriving(node2.base());
    User carol = User.arriving(node3.base());
    String id = alice.createRoom("Survivors").getString("id");
    String room = "chat.room." + id;
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    assertThat(bob.enter(id).status()).isEqualTo(200);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);
    assertThat(carol.enter(id).status()).isEqualTo(200);
    BridgeSocket carolSocket = carol.connect(vertx);
    carolSocket.enterRoom(id);
    BridgeSocket watcher = User.arriving(node1.base()).connect(vertx).listenToRoomList();
    // a browser whose page knows two nodes, connected to node 3 first
    Browser dan = new Browser();
    browsers.add(dan);
    dan.open(node1.base() + "room.html?id=" + id + "&nodes=" + node3.base() + "," + node2.base());
    dan.waitConnected();
    assertThat(dan.find("#transport").getDomAttribute("title")).startsWith(node3.base());
    aliceSocket.awaitMessage(
        room, m -> "join".equals(m.getString("type")) && carol.id().equals(m.getString("user")));
    long carolLastSeq =
        alice.history(id).array().stream()
            .map(JsonObject.class::cast)
            .mapToLong(m -> m.getLong("seq"))
            .max()
            .orElseThrow();
    carolSocket.awaitMessage(room, m -> m.getLong("seq", 0L) == carolLastSeq);

    node3.kill();

    // presence is corrected: carol's exit notice reaches the others, the count drops to 2
    long killedAt = System.nanoTime();
    JsonObject exit =
        TestHub.poll(
            NODE_DEATH_PATIENCE,
            () ->
                aliceSocket.messages(room).stream()
                    .filter(
                        m ->
                            "exit".equals(m.getString("type"))
                                && carol.id().equals(m.getString("user")))
                    .findFirst()
                    .orElse(null));
    assertThat(exit).as("carol's exit notice after node 3 died").isNotNull();
    System.out.printf(
        "exit notice %d ms after kill -9%n",
        Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
    // carol is gone; dan, whose page reconnects to node 2 by itself, may or may not be seen leaving
    eventually(() -> assertThat(watcher.occupancy(id)).endsWith(3));

    // the survivors keep chatting while carol is away
    List<String> missed = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      User speaker = i % 2 == 0 ? alice : bob;
      Reply said = speaker.say(id, "while carol was away " + i);
      assertThat(said.status()).isEqualTo(201);
      missed.add(said.json().getString("id"));
    }
    bobSocket.awaitMessage(room, m -> "while carol was away 9".equals(m.getString("chat")));

    // the browser reconnected to node 2 by itself, and shows every message it missed, once
    try (dan) {
      dan.waitFor(
          d ->
              dan.find("#transport").getDomAttribute("title").startsWith(node2.base())
                  && "open".equals(dan.find("#transport").getDomAttribute("data-state")));
      dan.waitFor(
          d ->
              dan.findAll("#chat-list li.message .text").stream()
                  .anyMatch(t -> t.getText().equals("while carol was away 9")));
      List<String> texts =
          dan.findAll("#chat-list li.message .text").stream().map(t -> t.getText()).toList();
      for (int i = 0; i < 10; i++) assertThat(texts).containsOnlyOnce("while carol was away " + i);
    }

    // carol's client reconnects to a live node with the last seq it saw
    BridgeSocket again = carol.at(node2.base()).connect(vertx);
    again.register(room, carolLastSeq);
    eventually(
        () ->
            assertThat(again.messages(room).stream().map(m -> m.getString("id")).toList())
                .containsAll(missed));
    List<Long> seqs =
        again.messages(room).stream()
            .filter(m -> m.containsKey("seq"))
            .map(m -> m.getLong("seq"))
            .toList();
    assertThat(seqs).doesNotHaveDuplicates();
    assertThat(seqs).isSorted();
    assertThat(seqs.get(0)).isEqualTo(carolLastSeq + 1);
    aliceSocket.awaitMessage(
        room,
        m ->
            "join".equals(m.getString("type"))
                && carol.id().equals(m.getString("user"))
                && m.getLong("seq") > carolLastSeq);
  }

  @Test
  @Order(7)
  @DisplayName(
      "a node started later joins the running cluster and serves the existing rooms at once")
  void lateNode(Vertx vertx) throws Exception {
    User alice = User.arriving(node1.base());
    String id = alice.createRoom("Before the new node").getString("id");
    String room = "chat.room." + id;
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(id);
    alice.say(id, "said before node 4 existed");

    node4 =
        NodeProcess.start(
            "node4",
            with(common, "MONGO_URI", store, "DATA_DIR", data.resolve("node4").toString()));

    User dave = User.arriving(node4.base());
    assertThat(
            dave.get("/api/rooms").array().stream()
                .map(JsonObject.class::cast)
                .map(r -> r.getString("id")))
        .contains(id);
    JsonObject entered = dave.enter(id).json();
    assertThat(
            entered.getJsonArray("chats").stream()
                .map(JsonObject.class::cast)
                .map(m -> m.getString("chat")))
        .contains("said before node 4 existed");
    BridgeSocket daveSocket = dave.connect(vertx);
    daveSocket.enterRoom(id);
    aliceSocket.awaitMessage(
        room, m -> "join".equals(m.getString("type")) && dave.id().equals(m.getString("user")));
    daveSocket.send(
        new JsonObject()
            .put("type", "send")
            .put("address", room)
            .put("body", new JsonObject().put("chat", "hello from node 4")));
    aliceSocket.awaitMessage(room, m -> "hello from node 4".equals(m.getString("chat")));
    alice.say(id, "welcome, node 4");
    daveSocket.awaitMessage(room, m -> "welcome, node 4".equals(m.getString("chat")));
  }

  private static Map<String, String> with(Map<String, String> base, String... pairs) {
    Map<String, String> env = new java.util.HashMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
    return env;
  }

  private static byte[] gif() throws Exception {
    BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    image.setRGB(1, 1, 0xff0000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    javax.imageio.ImageIO.write(image, "gif", out);
    return out.toByteArray();
  }
}
