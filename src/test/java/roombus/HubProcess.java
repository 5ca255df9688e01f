package roombus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A hub as its own JVM ({@code roombus.Main}, the classes under test) on a port and a data folder
 * that stay the same across {@link #kill()} (SIGKILL: no shutdown hook, no flush) and {@link
 * #start()}, as a real hub that is killed and started again. Each run logs to its own file; {@link
 * #serverErrors()} reads every run's log for the answers of 500 or more the hub logged.
 */
public final class HubProcess implements AutoCloseable {

  private final int port = TestHub.freePort();
  private final Path data = TestHub.newDataDir();
  private final Map<String, String> settings;
  private final List<Path> logs = new ArrayList<>();
  private Process process;

  public HubProcess(Map<String, String> settings) {
    this.settings = Map.copyOf(settings);
  }

  public String base() {
    return TestHub.base(port) + "/";
  }

  /** Starts the hub (again) and waits until it serves HTTP. */
  public HubProcess start() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            "roombus.Main");
    builder.environment().putAll(TestHub.defaults(port, data));
    builder.environment().put("HTTP_INSTANCES", "1");
    builder.environment().put("ROOMBUS_RELAUNCH", "false");
    builder.environment().putAll(settings);
    Path log =
        Files.createDirectories(Path.of("target", "hub-logs"))
            .resolve("hub-" + port + "-" + (logs.size() + 1) + ".log");
    logs.add(log);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    Process started = builder.start();
    process = started;
    TestHub.eventually(
        Duration.ofSeconds(90),
        () -> {
          assertThat(started.isAlive()).as("the hub process is running; its log: %s", log).isTrue();
          assertThat(TestHub.User.anonymous(TestHub.base(port)).get("/api/me").status())
              .isEqualTo(200);
        });
    return this;
  }

  /** SIGKILL, as {@code kill -9}; returns once the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the killed hub is gone").isTrue();
  }

  /** The lines of every run's log where the hub says it answered 500 or more. */
  public List<String> serverErrors() throws IOException {
    List<String> errors = new ArrayList<>();
    for (Path log : logs) {
      for (String line : Files.readAllLines(log))
        if (line.contains("Answered 5")) errors.add(log.getFileName() + ": " + line);
    }
    return errors;
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
    TestHub.deleteTree(data);
  }
}
