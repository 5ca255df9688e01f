package roombus.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import roombus.TestHub;
import roombus.TestHub.Reply;
import roombus.TestHub.User;

/**
 * The hub runs here as a separate JVM ({@code roombus.Main}), so that it can really be killed with
 * SIGKILL ({@link Process#destroyForcibly()}): no shutdown hook, no flush, nothing but what was on
 * disk.
 */
@Tag("cluster")
@DisplayName(
    "A message acknowledged just before the hub is killed with kill -9 is there after a restart")
class KillNineTest {

  private final Path data = TestHub.newDataDir();
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (Process process : started) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    TestHub.deleteTree(data);
  }

  /**
   * Starts {@code java roombus.Main} on {@code port} and {@code data}; answers once it serves HTTP.
   */
  private Process startHub(int port, String logName) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), "roombus.Main");
    builder.environment().putAll(TestHub.defaults(port, data));
    builder.environment().put("HTTP_INSTANCES", "1");
    Path log = Files.createDirectories(data.resolve("logs")).resolve(logName);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    Process process = builder.start();
    started.add(process);
    TestHub.eventually(
        Duration.ofSeconds(60),
        () -> {
          assertThat(process.isAlive()).as("the hub process is running; its log: %s", log).isTrue();
          assertThat(User.anonymous(TestHub.base(port)).get("/api/me").status()).isEqualTo(200);
        });
    return process;
  }

  @Test
  @DisplayName(
      "every acknowledged message, up to the last one before SIGKILL, is stored with the same seq")
  void killedRightAfterAcknowledgement() throws Exception {
    int port = TestHub.freePort();
    Process hub = startHub(port, "before-kill.log");
    User alice = User.arriving(TestHub.base(port));
    String id = alice.createRoom("Crash test").getString("id");
    List<JsonObject> acknowledged = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      Reply ack = alice.say(id, "message " + i);
      assertThat(ack.status()).isEqualTo(201);
      acknowledged.add(ack.json());
    }

    hub.destroyForcibly(); // SIGKILL, right after the last 201
    assertThat(hub.waitFor(10, TimeUnit.SECONDS)).isTrue();

    int newPort = TestHub.freePort();
    startHub(newPort, "after-kill.log");
    User bob = User.arriving(TestHub.base(newPort));
    assertThat(bob.enter(id).status()).isEqualTo(200);
    List<JsonObject> stored = bob.history(id).array().stream().map(JsonObject.class::cast).toList();
    for (JsonObject ack : acknowledged) {
      assertThat(stored)
          .as("stored history holds acknowledged seq %d", ack.getLong("seq"))
          .anySatisfy(
              m -> {
                assertThat(m.getLong("seq")).isEqualTo(ack.getLong("seq"));
                assertThat(m.getString("id")).isEqualTo(ack.getString("id"));
                assertThat(m.getString("chat")).isEqualTo(ack.getString("chat"));
              });
    }
  }
}
