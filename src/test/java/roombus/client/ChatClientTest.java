package roombus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.poll;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;

@ExtendWith(VertxExtension.class)
@DisplayName(
    "The command-line client lists rooms, enters one, prints the room and sends what is typed")
class ChatClientTest {

  @StartHub(tcpBridge = true)
  private static TestHub hub;

  private static String url() {
    return hub.base() + "/";
  }

  @Test
  @DisplayName("--list prints every room with its id, occupancy, lock and title, and exits 0")
  void list() {
    User alice = hub.newUser();
    String title = "Listed " + UUID.randomUUID();
    JsonObject open = alice.createRoom(title, 4, null);
    JsonObject locked = alice.createRoom(title + " locked", null, "secret");

    Cli cli = Cli.start("--url", url(), "--list");

    assertThat(cli.awaitExit()).isZero();
    assertThat(cli.lines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(open.getString("id"))
                    .contains("0/4")
                    .doesNotContain("locked")
                    .endsWith(title));
    assertThat(cli.lines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(locked.getString("id"))
                    .contains("0/10")
                    .contains("locked")
                    .endsWith(title + " locked"));
  }

  @Test
  @DisplayName(
      "over the websocket: enters a locked room with --password, shows its history, sends typed lines, prints the others' messages, leaves at end of input")
  void overWebsocket(Vertx vertx) {
    User bob = hub.newUser();
    JsonObject room = bob.createRoom("Terminal " + UUID.randomUUID(), null, "pw");
    String id = room.getString("id");
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);
    bob.say(id, "before you came");

    Cli cli = Cli.start("--url", url(), "--room", id, "--password", "pw");

    cli.awaitLine(line -> line.startsWith("* entering \"" + room.getString("title") + "\""));
    cli.awaitLine(line -> line.equals("[" + bob.color() + "] before you came"));
    JsonObject joined =
        bobSocket.awaitMessage(
            "chat.room." + id,
            m -> "join".equals(m.getString("type")) && !bob.id().equals(m.getString("user")));
    String cliUser = joined.getString("user");
    String cliColor = joined.getString("color");
    cli.awaitLine(line -> line.startsWith("* you are " + cliColor));

    cli.type("hello from the terminal");
    JsonObject arrived =
        bobSocket.awaitMessage(
            "chat.room." + id, m -> "hello from the terminal".equals(m.getString("chat")));
    assertThat(arrived.getString("user")).isEqualTo(cliUser);
    bob.say(id, "hello terminal \u001b[2J");
    cli.awaitLine(line -> line.equals("[" + bob.color() + "] hello terminal \uFFFD[2J"));
    cli.endInput();

    assertThat(cli.awaitExit()).isZero();
    bobSocket.awaitMessage(
        "chat.room." + id,
        m -> "exit".equals(m.getString("type")) && cliUser.equals(m.getString("user")));
    assertThat(cli.lines()).contains("[" + cliColor + "] hello from the terminal");
  }

  @Test
  @DisplayName(
      "over TCP (--tcp): creates a room with --create, chats both ways with a websocket user, shows its last line before leaving")
  void overTcp(Vertx vertx) {
    User bob = hub.newUser();
    String title = "Bots " + UUID.randomUUID();

    Cli cli = Cli.start("--url", url(), "--create", title, "--tcp", String.valueOf(hub.tcpPort()));

    cli.awaitLine(line -> line.startsWith("* created \"" + title + "\""));
    cli.awaitLine(line -> line.startsWith("* you are "));
    String id =
        poll(
            () ->
                bob.get("/api/rooms").array().stream()
                    .map(JsonObject.class::cast)
                    .filter(r -> title.equals(r.getString("title")))
                    .map(r -> r.getString("id"))
                    .findFirst()
                    .orElse(null));
    bob.enter(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);
    cli.awaitLine(line -> line.equals("* " + bob.color() + " joined"));

    cli.type("beep over tcp");
    JsonObject arrived =
        bobSocket.awaitMessage("chat.room." + id, m -> "beep over tcp".equals(m.getString("chat")));
    bob.say(id, "hello bot");
    cli.awaitLine(line -> line.equals("[" + bob.color() + "] hello bot"));
    cli.type("bye");
    cli.endInput();

    assertThat(cli.awaitExit()).isZero();
    assertThat(cli.lines())
        .endsWith("[" + arrived.getString("color") + "] bye"); // shown before it left
    bobSocket.awaitMessage(
        "chat.room." + id,
        m ->
            "exit".equals(m.getString("type"))
                && arrived.getString("user").equals(m.getString("user")));
    assertThat(bob.history(id).array().stream().map(JsonObject.class::cast))
        .filteredOn(m -> "beep over tcp".equals(m.getString("chat")))
        .singleElement()
        .satisfies(m -> assertThat(m.getString("user")).isNotEqualTo(bob.id()));
  }

  @Test
  @DisplayName(
      "a wrong password ends with exit code 1 and the hub's reason; a bad command line with 2 and the usage")
  void failures() {
    String id =
        hub.newUser().createRoom("Closed " + UUID.randomUUID(), null, "right").getString("id");

    Cli wrong = Cli.start("--url", url(), "--room", id, "--password", "wrong");
    Cli bad = Cli.start("--url", url(), "--room", id, "--create", "both");

    assertThat(wrong.awaitExit()).isEqualTo(1);
    assertThat(wrong.errors()).contains("403").contains("Wrong password");
    assertThat(bad.awaitExit()).isEqualTo(2);
    assertThat(bad.errors()).contains("either --room or --create").contains("usage:");
  }

  /**
   * One run of the client in this JVM, its input a pipe the test types into, its output captured.
   */
  private static final class Cli {
    private final PipedOutputStream stdin;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> exit;

    private Cli(String... args) throws IOException {
      stdin = new PipedOutputStream();
      PipedInputStream in = new PipedInputStream(stdin);
      PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
      PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
      exit = new CompletableFuture<>();
      Thread client =
          new Thread(
              () -> exit.complete(ChatClient.run(args, in, out, err)), "chat-client-under-test");
      client.setDaemon(true);
      client.start();
    }

    static Cli start(String... args) {
      try {
        return new Cli(args);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void type(String line) {
      try {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void endInput() {
      try {
        stdin.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    List<String> lines() {
      return Arrays.asList(stdout.toString(StandardCharsets.UTF_8).split("\\R"));
    }

    String errors() {
      return stderr.toString(StandardCharsets.UTF_8);
    }

    String awaitLine(Predicate<String> matching) {
      String found = poll(() -> lines().stream().filter(matching).findFirst().orElse(null));
      if (found == null)
        throw new AssertionError(
            "No such line; output:\n" + String.join("\n", lines()) + "\n" + errors());
      return found;
    }

    int awaitExit() {
      try {
        return exit.get(TestHub.PATIENCE.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError(
            "The client did not exit; output:\n" + String.join("\n", lines()) + "\n" + errors(), e);
      }
    }
  }
}
