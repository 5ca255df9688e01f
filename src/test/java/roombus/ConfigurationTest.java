package roombus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Configuration: a file, then the environment, then system properties")
class ConfigurationTest {

  @TempDir Path dir;

  @AfterEach
  void clearProperties() {
    System.clearProperty("POSTS_PER_SECOND");
    System.clearProperty("LOG_LEVEL");
  }

  @Test
  @DisplayName("a JSON file gives every setting a camelCase key; a system property wins over it")
  void jsonFileThenSystemProperty() throws IOException {
    Path file =
        write(
            "roombus.json",
            """
        {"httpPort": 8181, "postsPerSecond": 7, "clusterMembers": ["10.0.0.1", "10.0.0.2:5702"],
         "cluster": true, "adminToken": "s3cret-admin-token", "roomGraceMs": 2500, "logLevel": "debug"}""");
    System.setProperty("POSTS_PER_SECOND", "9");

    HubConfig config = HubConfig.load("--conf", file.toString());

    assertThat(config.httpPort()).isEqualTo(8181);
    assertThat(config.postsPerSecond()).isEqualTo(9);
    assertThat(config.clusterMembers()).containsExactly("10.0.0.1", "10.0.0.2:5702");
    assertThat(config.cluster()).isTrue();
    assertThat(config.adminToken()).contains("s3cret-admin-token");
    assertThat(config.roomGrace()).isEqualTo(Duration.ofMillis(2500));
    assertThat(config.logLevel()).isEqualTo("debug");
    assertThat(config.describe()).doesNotContain("s3cret-admin-token");
  }

  @Test
  @DisplayName("a YAML file works the same; what it does not set keeps its default")
  void yamlFile() throws IOException {
    Path file =
        write(
            "roombus.yaml",
            """
        httpPort: 9090
        clusterName: blue
        clusterMembers:
          - 10.0.0.7
        """);

    HubConfig config = HubConfig.load("--conf", file.toString());

    assertThat(config.httpPort()).isEqualTo(9090);
    assertThat(config.clusterName()).isEqualTo("blue");
    assertThat(config.clusterMembers()).containsExactly("10.0.0.7");
    assertThat(config.postsPerSecond()).isEqualTo(20);
    assertThat(config.adminToken()).isEmpty();
    assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  @DisplayName("a key of the file that names no setting, and a bad value, are refused naming them")
  void refusals() throws IOException {
    Path typo = write("typo.json", "{\"httpPrt\": 8080}");
    assertThatThrownBy(() -> HubConfig.load("--conf", typo.toString()))
        .hasMessageContaining("'httpPrt'");
    assertThatThrownBy(() -> HubConfig.from(Map.of("HTTP_PORT", "70000")))
        .hasMessage("HTTP_PORT must be a port from 0 to 65535, got '70000'");
    assertThatThrownBy(() -> HubConfig.from(Map.of("CLUSTER", "yes")))
        .hasMessage("CLUSTER must be true or false, got 'yes'");
    assertThatThrownBy(() -> HubConfig.from(Map.of("LOG_LEVEL", "loud")))
        .hasMessageContaining("LOG_LEVEL")
        .hasMessageEndingWith("got 'loud'");
    assertThatThrownBy(() -> HubConfig.load("--conf", dir.resolve("missing.json").toString()))
        .hasMessageContaining("missing.json");
  }

  @Test
  @DisplayName(
      "HTTP verticles: one per core but one, at least one, unless HTTP_INSTANCES says how many")
  void httpInstances() {
    assertThat(HubConfig.defaultHttpInstances(1)).isEqualTo(1);
    assertThat(HubConfig.defaultHttpInstances(2)).isEqualTo(1);
    assertThat(HubConfig.defaultHttpInstances(8)).isEqualTo(7);
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(HubConfig.from(Map.of()).httpInstances()).isEqualTo(Math.max(1, cores - 1));
    assertThat(HubConfig.from(Map.of("HTTP_INSTANCES", "4")).httpInstances()).isEqualTo(4);
    assertThatThrownBy(() -> HubConfig.from(Map.of("HTTP_INSTANCES", "0")))
        .hasMessageStartingWith("HTTP_INSTANCES must be a whole number");
  }

  @Test
  @DisplayName(
      "the rate limits have their defaults, take a file key, and refuse 0 (no limit is switched off)")
  void rateLimits() throws IOException {
    HubConfig defaults = HubConfig.from(Map.of());
    assertThat(defaults.roomsPerMinute()).isEqualTo(10);
    assertThat(defaults.entersPerMinute()).isEqualTo(60);
    assertThat(defaults.uploadsPerMinute()).isEqualTo(20);
    assertThat(defaults.connectionsPerSession()).isEqualTo(20);
    assertThat(defaults.framesPerSecond()).isEqualTo(50);

    Path file = write("limits.json", "{\"roomsPerMinute\": 3, \"framesPerSecond\": 200}");
    HubConfig config = HubConfig.load("--conf", file.toString());
    assertThat(config.roomsPerMinute()).isEqualTo(3);
    assertThat(config.framesPerSecond()).isEqualTo(200);
    assertThat(config.describe()).contains("roomsPerMinute=3").contains("framesPerSecond=200");

    for (String setting :
        List.of(
            "ROOMS_PER_MINUTE",
            "ENTERS_PER_MINUTE",
            "UPLOADS_PER_MINUTE",
            "CONNECTIONS_PER_SESSION",
            "FRAMES_PER_SECOND")) {
      assertThat(HubConfig.SETTINGS).contains(setting);
      assertThatThrownBy(() -> HubConfig.from(Map.of(setting, "0")))
          .hasMessage(setting + " must be a whole number from 1 to 1000000, got '0'");
    }
  }

  @Test
  @DisplayName(
      "a node reads file < environment < system property, and a bad value stops it with one line and exit code 2")
  void precedenceInARealNode() throws Exception {
    Path file = write("node.yaml", "postsPerSecond: from-file\n");

    Run fromFile = node(file, Map.of(), List.of());
    assertThat(fromFile.code).isEqualTo(2);
    assertThat(fromFile.output)
        .isEqualTo("roombus: POSTS_PER_SECOND must be a whole number, got 'from-file'");

    Run fromEnv = node(file, Map.of("POSTS_PER_SECOND", "from-env"), List.of());
    assertThat(fromEnv.output)
        .isEqualTo("roombus: POSTS_PER_SECOND must be a whole number, got 'from-env'");

    Run fromProperty =
        node(
            file,
            Map.of("POSTS_PER_SECOND", "from-env"),
            List.of("-DPOSTS_PER_SECOND=from-property"));
    assertThat(fromProperty.output)
        .isEqualTo("roombus: POSTS_PER_SECOND must be a whole number, got 'from-property'");
    assertThat(fromProperty.code).isEqualTo(2);

    // ROOMBUS_CONFIG names the file when --conf does not
    Run named = node(null, Map.of(HubConfig.CONFIG_FILE, file.toString()), List.of());
    assertThat(named.output)
        .isEqualTo("roombus: POSTS_PER_SECOND must be a whole number, got 'from-file'");
  }

  @Test
  @DisplayName(
      "a node whose HTTP port is taken says it could not start, and why, and exits with code 1")
  void portInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Run run = node(null, Map.of("HTTP_PORT", String.valueOf(taken.getLocalPort())), List.of());

      assertThat(run.code).isEqualTo(1);
      assertThat(run.output).contains("roombus could not start").contains("Address already in use");
    }
  }

  private record Run(int code, String output) {}

  /**
   * Runs {@code roombus.Main} (which exits at once on a bad setting) and answers its code and its
   * output.
   */
  private Run node(Path conf, Map<String, String> env, List<String> properties) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path")));
    command.addAll(properties);
    command.add("roombus.Main");
    if (conf != null) command.addAll(List.of("--conf", conf.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
    builder.environment().remove("POSTS_PER_SECOND");
    builder.environment().remove(HubConfig.CONFIG_FILE);
    builder.environment().put("HTTP_PORT", String.valueOf(TestHub.freePort()));
    builder.environment().putAll(env);
    builder.environment().put("DATA_DIR", dir.resolve("data").toString());
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("the node did not stop within 60 s; its settings: " + env);
    }
    String output =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return new Run(process.exitValue(), output);
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }
}
