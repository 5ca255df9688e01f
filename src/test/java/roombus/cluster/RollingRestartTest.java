package roombus.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.eventually;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import roombus.TestHub;
import roombus.TestHub.Reply;
import roombus.TestHub.User;
import roombus.browser.Browser;
import roombus.browser.BrowserTest;
import roombus.client.ChatClient;
import roombus.embedded.EmbeddedMongo;

/**
 * A rolling restart of two nodes (both on a store of the test's own, as nodes on a replicated
 * MongoDB are), one node at a time with SIGTERM, while the command-line client chats and another
 * user posts over HTTP to whichever node answers: no acknowledged message is lost, and the client
 * ends up connected and has shown every message once.
 */
@Tag("cluster")
@DisplayName("Rolling restart: SIGTERM one node at a time")
class RollingRestartTest {

  private static final Duration RESTART_PATIENCE = Duration.ofSeconds(60);

  /** The JVM's exit status after SIGTERM once its shutdown hooks are done (128 + 15). */
  private static final int SIGTERM_EXIT = 143;

  private final Path data = TestHub.newDataDir();
  private NodeProcess a;
  private NodeProcess b;
  private EmbeddedMongo store;
  private Browser page;

  @AfterEach
  void stop() throws Exception {
    if (page != null) page.close();
    for (NodeProcess node : new NodeProcess[] {a, b}) if (node != null) node.kill();
    if (store != null) store.close();
    TestHub.deleteTree(data);
  }

  @Test
  @BrowserTest
  @DisplayName(
      "each drained node tells its clients to go; the CLI client and a browser page reconnect to the other node and catch up; nothing acknowledged is lost")
  void rollingRestart() throws Exception {
    store = EmbeddedMongo.start(data.resolve("store"), "127.0.0.1", 0);
    int hazelcast = 20_000 + (int) (Math.random() * 20_000);
    Map<String, String> common =
        new HashMap<>(
            Map.of(
                "CLUSTER_NAME",
                "roombus-rolling-" + UUID.randomUUID(),
                "CLUSTER_PORT",
                String.valueOf(hazelcast),
                "CLUSTER_MEMBERS",
                "127.0.0.1:" + hazelcast + ",127.0.0.1:" + (hazelcast + 1),
                "MONGO_URI",
                store.connectionString(),
                "POSTS_PER_SECOND",
                "1000"));
    a = NodeProcess.start("rolling-a", with(common, "DATA_DIR", data.resolve("a").toString()));
    b = NodeProcess.start("rolling-b", with(common, "DATA_DIR", data.resolve("b").toString()));
    int[] ports = {a.httpPort, b.httpPort};
    int portB = b.httpPort;

    User owner = User.arriving(a.base());
    String room = owner.createRoom("Rolling").getString("id");

    // the command-line client, on node a first, knowing both nodes
    PipedOutputStream typing = new PipedOutputStream();
    PipedInputStream input = new PipedInputStream(typing);
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(screen, true, StandardCharsets.UTF_8);
    CompletableFuture<Integer> client =
        CompletableFuture.supplyAsync(
            () ->
                ChatClient.run(
                    new String[] {"--url", a.base() + "," + b.base(), "--room", room},
                    input,
                    out,
                    out));
    eventually(() -> assertThat(text(screen)).contains("* you are"));
    // and a browser page that knows both nodes, on node a first
    page = new Browser();
    page.open(a.base() + "room.html?id=" + room + "&nodes=" + a.base() + "," + b.base());
    page.waitConnected();
    assertThat(page.find("#transport").getDomAttribute("title")).startsWith(a.base());

    // another user posts over HTTP all along, to whichever node answers; what is acknowledged must
    // stay
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicBoolean posting = new AtomicBoolean(true);
    CompletableFuture<Void> poster =
        CompletableFuture.runAsync(
            () -> {
              int n = 0;
              while (posting.get() && n < 2_000) {
                int port = ports[n % 2];
                String text = "http " + n++;
                try {
                  Reply reply = owner.at(TestHub.base(port)).say(room, text);
                  if (reply.status() == 201) acknowledged.add(text);
                } catch (RuntimeException nodeDown) {
                  // a node that is restarting refuses the connection: the post was not acknowledged
                }
              }
            });

    type(typing, "a1", "a2", "a3");
    eventually(() -> assertThat(text(screen)).contains("] a3"));

    assertThat(a.terminate()).isEqualTo(SIGTERM_EXIT);
    eventually(
        RESTART_PATIENCE,
        () ->
            assertThat(text(screen))
                .contains("* the hub node is going away", "* reconnected to 127.0.0.1:" + portB));
    assertThat(a.logText())
        .contains("event=node_draining", "event=node_drained", "event=node_stopped");
    type(typing, "b1", "b2", "b3");
    eventually(() -> assertThat(text(screen)).contains("] b3"));
    Browser browser = page;
    String nodeB = b.base();
    browser.waitFor(
        d ->
            browser.find("#transport").getDomAttribute("title").startsWith(nodeB)
                && "open".equals(browser.find("#transport").getDomAttribute("data-state")));
    browser.waitFor(
        d ->
            browser.findAll("#chat-list li.message .text").stream()
                .anyMatch(t -> t.getText().equals("b3")));

    // a restarted node comes back where its clients know it
    a =
        NodeProcess.start(
            "rolling-a2",
            with(
                common,
                "DATA_DIR",
                data.resolve("a").toString(),
                "HTTP_PORT",
                String.valueOf(ports[0])));
    int newA = a.httpPort;
    assertThat(b.terminate()).isEqualTo(SIGTERM_EXIT);
    eventually(
        RESTART_PATIENCE,
        () -> assertThat(text(screen)).contains("* reconnected to 127.0.0.1:" + newA));
    type(typing, "c1", "c2", "c3");
    eventually(() -> assertThat(text(screen)).contains("] c3"));
    b =
        NodeProcess.start(
            "rolling-b2",
            with(
                common,
                "DATA_DIR",
                data.resolve("b").toString(),
                "HTTP_PORT",
                String.valueOf(ports[1])));

    posting.set(false);
    poster.get(60, TimeUnit.SECONDS);
    // the client has caught up: every acknowledged post is on its screen, once
    eventually(
        () -> {
          String shown = text(screen);
          for (String text : acknowledged)
            assertThat(count(shown, "] " + text + "\n"))
                .as("'%s' shown once by the client", text)
                .isEqualTo(1);
        });
    typing.close();
    assertThat(client.get(60, TimeUnit.SECONDS)).as(text(screen)).isZero();

    page.waitFor(
        d ->
            page.findAll("#chat-list li.message .text").stream()
                .anyMatch(t -> t.getText().equals("c3")));
    List<String> onPage =
        page.findAll("#chat-list li.message .text").stream().map(t -> t.getText()).toList();
    assertThat(onPage).contains("a1", "a3", "b1", "b3", "c1", "c3").doesNotHaveDuplicates();
    List<String> stored =
        owner.at(a.base()).history(room).array().stream()
            .map(JsonObject.class::cast)
            .filter(m -> "chat".equals(m.getString("type")))
            .map(m -> m.getString("chat"))
            .toList();
    assertThat(stored).containsAll(acknowledged);
    assertThat(stored).contains("a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2", "c3");
    assertThat(stored).doesNotHaveDuplicates();
    String shown = text(screen);
    for (String text : List.of("a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2", "c3")) {
      assertThat(count(shown, "] " + text + "\n")).as("'%s' shown once", text).isEqualTo(1);
    }
    for (String text : acknowledged) {
      assertThat(count(shown, "] " + text + "\n"))
          .as("'%s' shown once by the client", text)
          .isEqualTo(1);
    }
    assertThat(acknowledged).isNotEmpty();
  }

  private static void type(PipedOutputStream typing, String... lines) throws IOException {
    for (String line : lines) typing.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    typing.flush();
  }

  private static String text(ByteArrayOutputStream screen) {
    return screen.toString(StandardCharsets.UTF_8);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
    return n;
  }

  private static Map<String, String> with(Map<String, String> base, String... pairs) {
    Map<String, String> all = new HashMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) all.put(pairs[i], pairs[i + 1]);
    return all;
  }
}
