package roombus.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import roombus.TestHub;
import roombus.TestHub.User;

/**
 * The stock Vert.x event-bus client, the npm package {@code @vertx/eventbus-bridge-client.js} 1.0.0
 * over {@code sockjs-client} 1.6.1, unmodified, in Node, against a real hub: what its user sees.
 * The client is {@code src/test/node/stock-client/stock-client.js}; it takes commands on stdin and
 * prints one JSON line per event on stdout. It connects without a session cookie, as a fresh
 * visitor would.
 *
 * <p>The stock client hands every frame that is not an {@code err} to the handler of its address,
 * whatever its {@code type}; the handler gets the whole frame. So the frame's type is asserted as
 * the handler sees it ({@code message.type}): a hub sending {@code message} frames instead of
 * {@code rec} fails here.
 */
@Tag("node")
@DisplayName("The stock Vert.x event-bus client (npm, in Node) works against the hub")
class StockJsClientTest {

  private static final Path CLIENT_DIR =
      Path.of(System.getProperty("basedir", "."), "src", "test", "node", "stock-client");
  private static final String INSTALL = "npm ci --prefix src/test/node/stock-client";
  private static final Duration PATIENCE = TestHub.PATIENCE;

  private static TestHub hub;

  /** Why the test cannot run here, or null. */
  private static String missing;

  @BeforeAll
  static void start() {
    if (findNode() == null) {
      missing =
          "Node.js is not installed (no `node` on PATH nor /usr/bin/node): install it "
              + "(apt-get install -y nodejs npm), then run `"
              + INSTALL
              + "`";
    } else if (!Files.isRegularFile(
            CLIENT_DIR.resolve("node_modules/@vertx/eventbus-bridge-client.js/vertx-eventbus.js"))
        || !Files.isRegularFile(CLIENT_DIR.resolve("node_modules/sockjs-client/package.json"))) {
      missing =
          "The stock client's npm packages are not installed in "
              + CLIENT_DIR.resolve("node_modules")
              + ": run `"
              + INSTALL
              + "`";
    } else {
      hub = TestHub.start();
    }
  }

  /**
   * Per test rather than in {@code @BeforeAll}, so that Surefire reports each test as skipped, with
   * the reason.
   */
  @BeforeEach
  void requireNode() {
    assumeTrue(missing == null, missing);
  }

  @AfterAll
  static void stop() {
    if (hub != null) hub.close();
  }

  @Test
  @DisplayName(
      "over the transport sockjs-client picks (websocket): room list events arrive as rec, a refused send reaches its callback")
  void websocket() {
    roomListAndRefusedSend(null, "websocket");
  }

  @Test
  @DisplayName("the same over xhr-polling (SockJS option transports: ['xhr-polling'])")
  void xhrPolling() {
    roomListAndRefusedSend("xhr-polling", "xhr-polling");
  }

  private void roomListAndRefusedSend(String transports, String expectedTransport) {
    User alice = hub.newUser();
    String notEntered = alice.createRoom("Not entered by the Node client").getString("id");

    try (NodeClient client = NodeClient.start(hub.base(), transports)) {
      JsonObject open =
          client.await("the event bus to open", e -> "open".equals(e.getString("event")));
      assertThat(open.getString("transport"))
          .as("the SockJS transport in use")
          .isEqualTo(expectedTransport);

      client.command(new JsonObject().put("do", "register").put("address", "chat.rooms"));
      client.command(
          new JsonObject()
              .put("do", "send")
              .put("address", "chat.room." + notEntered)
              .put("body", new JsonObject().put("chat", "let me in")));

      // 2. the refused send: an err frame on the reply address, handed to the send's callback
      JsonObject answer =
          client.await(
              "the send's callback",
              e -> Set.of("reply", "replyError").contains(e.getString("event")));
      assertThat(answer.getString("event"))
          .as("the callback got an error, not a reply: %s", answer)
          .isEqualTo("replyError");
      JsonObject error = answer.getJsonObject("error");
      assertThat(error.getInteger("failureCode")).isEqualTo(403);
      assertThat(error.getString("failureType")).isEqualTo("RECIPIENT_FAILURE");
      assertThat(error.getString("message")).isEqualTo("You have not entered this room");
      assertThat(answer.getInteger("state"))
          .as("the event bus state after the error (1 = OPEN)")
          .isEqualTo(1);

      // 1. the room list: the hub handles one connection's frames in order, so with the send
      // answered
      // the register before it is in place, and a room created now reaches the handler
      String title = "Made for the stock client " + UUID.randomUUID();
      String id = alice.createRoom(title).getString("id");
      JsonObject event =
          client.await(
              "newRoom for " + id + " on chat.rooms",
              e ->
                  "message".equals(e.getString("event"))
                      && "chat.rooms".equals(e.getString("address"))
                      && e.getValue("body") instanceof JsonObject body
                      && "newRoom".equals(body.getString("type"))
                      && id.equals(body.getString("id")));
      assertThat(event.getString("type"))
          .as("the frame type the stock client's handler sees")
          .isEqualTo("rec");
      JsonObject room = event.getJsonObject("body").getJsonObject("room");
      assertThat(room.getString("id")).isEqualTo(id);
      assertThat(room.getString("title")).isEqualTo(title);

      // the connection stayed open through the error: it still delivers, and it never closed
      assertThat(event.getInteger("state")).as("the event bus state (1 = OPEN)").isEqualTo(1);
      assertThat(client.seen())
          .as("events of the Node client")
          .noneMatch(
              e ->
                  Set.of("close", "fatal", "unhandled", "handlerError")
                      .contains(e.getString("event")));
    }
  }

  private static Path findNode() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      Path candidate = Path.of(dir, "node");
      if (Files.isExecutable(candidate)) return candidate;
    }
    Path usual = Path.of("/usr/bin/node");
    return Files.isExecutable(usual) ? usual : null;
  }

  /**
   * {@code stock-client.js} in its own Node process: commands go to its stdin, its stdout is read
   * line by line (one JSON event each) on a reader thread, and every wait is bounded. Closing ends
   * stdin (the script then closes its event bus and exits) and kills the process if it lingers.
   */
  private static final class NodeClient implements AutoCloseable {

    private static final JsonObject END = new JsonObject().put("event", "end of output");

    private final Process process;
    private final Path stderr;
    private final Writer stdin;
    private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    private final List<JsonObject> seen = new ArrayList<>();
    private boolean ended;

    private NodeClient(Process process, Path stderr) {
      this.process = process;
      this.stderr = stderr;
      this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(this::read, "stock-client stdout");
      reader.setDaemon(true);
      reader.start();
    }

    static NodeClient start(String hubBase, String transports) {
      List<String> command =
          new ArrayList<>(List.of(findNode().toString(), "stock-client.js", hubBase));
      if (transports != null) command.add(transports);
      Path stderr = null;
      try {
        stderr = Files.createTempFile("stock-client", ".stderr");
        Process process =
            new ProcessBuilder(command)
                .directory(CLIENT_DIR.toFile())
                .redirectError(stderr.toFile())
                .start();
        return new NodeClient(process, stderr);
      } catch (IOException e) {
        if (stderr != null) stderr.toFile().delete();
        throw new UncheckedIOException("Could not start " + command, e);
      }
    }

    private void read() {
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.isBlank()) continue;
          try {
            events.add(new JsonObject(line));
          } catch (DecodeException | ClassCastException e) {
            events.add(new JsonObject().put("event", "unparsable").put("text", line));
          }
        }
      } catch (IOException ignored) {
        // the process was killed: the output ends here
      } finally {
        events.add(END);
      }
    }

    void command(JsonObject command) {
      try {
        stdin.write(command.encode() + "\n");
        stdin.flush();
      } catch (IOException e) {
        throw new AssertionError(
            "The Node client does not take commands any more: " + diagnostics(), e);
      }
    }

    /** The first event from now on that matches, waiting at most {@link #PATIENCE} for it. */
    JsonObject await(String what, Predicate<JsonObject> matching) {
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (!ended) {
        JsonObject event;
        try {
          event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted waiting for " + what, e);
        }
        if (event == null) break;
        if (event == END) {
          ended = true;
          break;
        }
        seen.add(event);
        if (matching.test(event)) return event;
      }
      throw new AssertionError(
          (ended ? "The Node client ended before " : "No event within " + PATIENCE + ": ")
              + what
              + "; "
              + diagnostics());
    }

    /** Every event taken from the output so far, in order. */
    List<JsonObject> seen() {
      return List.copyOf(seen);
    }

    private String diagnostics() {
      String errors;
      try {
        errors = Files.readString(stderr, StandardCharsets.UTF_8);
      } catch (IOException e) {
        errors = "(unreadable: " + e + ")";
      }
      return "events: " + seen + "; stderr: " + (errors.isBlank() ? "(empty)" : errors.strip());
    }

    @Override
    public void close() {
      try {
        stdin.close(); // the script closes its event bus and exits at the end of its input
      } catch (IOException ignored) {
        // already gone
      }
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroy();
          if (!process.waitFor(5, TimeUnit.SECONDS))
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      } finally {
        stderr.toFile().delete();
      }
    }
  }
}
