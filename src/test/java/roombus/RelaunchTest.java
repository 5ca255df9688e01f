package roombus;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.eventually;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's command, {@code java -jar roombus.jar}, with no JVM flag: the process starts the
 * node again in a JVM with the hub's own flags and stands for it. The jar here is a launcher jar
 * whose manifest names {@code roombus.Main} and the test's class path, so the classes under test
 * run exactly as from the packaged jar (which {@code mvn test} has not built yet).
 */
@Tag("cluster") // launches hub JVMs of its own
@DisplayName("java -jar roombus.jar (the README's command)")
class RelaunchTest {

  private static final Duration START = Duration.ofSeconds(90);

  @TempDir Path dir;

  private final int port = TestHub.freePort();
  private final Path data = TestHub.newDataDir();
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process process : started) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    TestHub.deleteTree(data);
  }

  @Test
  @DisplayName(
      "without JVM flags runs the node in a second JVM with the hub's flags (on epoll on Linux x86-64); SIGTERM to the command stops the node cleanly, and both exit")
  void relaunchesWithTheHubsFlags() throws Exception {
    Process command = start();
    ProcessHandle node = onlyChild(command);
    assertThat(node.info().arguments().orElseThrow())
        .as("the node's JVM flags")
        .contains(JvmTuning.DEFAULT_FLAGS.toArray(String[]::new))
        .contains("-Droombus.relaunched=" + command.pid());
    TestHub.User alice = TestHub.User.anonymous(TestHub.base(port));
    assertThat(alice.createRoom("Relaunched").getString("id")).isNotBlank();

    command.destroy(); // SIGTERM, as a supervisor or Ctrl-C
    assertThat(command.waitFor(30, TimeUnit.SECONDS)).as("the command has exited").isTrue();
    assertThat(node.isAlive()).as("the node is gone with it").isFalse();
    assertThat(log()).as("the node's log").contains("event=node_stopped");
    if ("Linux".equals(System.getProperty("os.name"))
        && "amd64".equals(System.getProperty("os.arch")))
      assertThat(log()).as("the node's network transport").contains("transport=epoll");
  }

  @Test
  @DisplayName("killed outright (SIGKILL), the command takes the node with it")
  void nodeFollowsAKilledCommand() throws Exception {
    Process command = start();
    ProcessHandle node = onlyChild(command);

    command.destroyForcibly();
    eventually(Duration.ofSeconds(20), () -> assertThat(node.isAlive()).isFalse());
  }

  @Test
  @DisplayName("with a heap flag of the operator's runs the node itself, as started")
  void operatorsFlagsWin() throws Exception {
    Process command = start("-Xmx300m");

    assertThat(command.children().count()).as("JVMs started by the command").isZero();
    assertThat(TestHub.User.anonymous(TestHub.base(port)).get("/api/me").status()).isEqualTo(200);
  }

  private Process start(String... jvmFlags) throws IOException {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    line.addAll(List.of(jvmFlags));
    line.add("-jar");
    line.add(launcherJar().toString());
    ProcessBuilder builder = new ProcessBuilder(line);
    builder.environment().putAll(TestHub.defaults(port, data));
    builder.environment().put("HTTP_INSTANCES", "1");
    Stream.of("ROOMBUS_RELAUNCH", "ROOMBUS_JVM_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")
        .forEach(builder.environment()::remove);
    builder.redirectErrorStream(true).redirectOutput(logFile().toFile());
    Process process = builder.start();
    started.add(process);
    eventually(
        START,
        () -> {
          assertThat(process.isAlive()).as("the command runs; its log: %s", logFile()).isTrue();
          assertThat(TestHub.User.anonymous(TestHub.base(port)).get("/api/me").status())
              .isEqualTo(200);
        });
    return process;
  }

  private static ProcessHandle onlyChild(Process command) {
    List<ProcessHandle> children = command.children().toList();
    assertThat(children).as("JVMs started by the command").hasSize(1);
    return children.get(0);
  }

  /** A jar that runs {@code roombus.Main} on the test's class path, as the packaged jar does. */
  private Path launcherJar() throws IOException {
    Path jar = dir.resolve("roombus.jar");
    if (Files.exists(jar)) return jar;
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(Attributes.Name.MAIN_CLASS, "roombus.Main");
    main.put(
        Attributes.Name.CLASS_PATH,
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(entry -> Path.of(entry).toAbsolutePath().toUri().toString())
            .collect(Collectors.joining(" ")));
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream ignored = new JarOutputStream(out, manifest)) {
      return jar;
    }
  }

  private Path logFile() throws IOException {
    return Files.createDirectories(Path.of("target", "hub-logs"))
        .resolve("relaunch-" + port + ".log");
  }

  private String log() throws IOException {
    return Files.exists(logFile()) ? Files.readString(logFile()) : "";
  }
}
