package roombus.cluster;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import roombus.TestHub;

/**
 * A roombus node as its own JVM process ({@code roombus.Main}, the classes under test), clustered
 * on loopback. {@link #kill()} is {@code kill -9}.
 */
final class NodeProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String name;
  final int httpPort;
  final Path log;
  private final Process process;

  private NodeProcess(String name, int httpPort, Path log, Process process) {
    this.name = name;
    this.httpPort = httpPort;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts a node and waits until it answers HTTP (it has joined the cluster by then), on {@code
   * HTTP_PORT} if {@code env} names one (a node restarted where its clients know it), else on a
   * free port.
   */
  static NodeProcess start(String name, Map<String, String> env)
      throws IOException, InterruptedException {
    int port =
        env.containsKey("HTTP_PORT") ? Integer.parseInt(env.get("HTTP_PORT")) : TestHub.freePort();
    Path logs = Path.of("target", "cluster-logs");
    Files.createDirectories(logs);
    Path log = logs.resolve(name + ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m",
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "--add-modules",
                "java.se",
                "--add-exports",
                "java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-opens",
                "java.base/java.lang=ALL-UNNAMED",
                "--add-opens",
                "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens",
                "java.management/sun.management=ALL-UNNAMED",
                "--add-opens",
                "jdk.management/com.sun.management.internal=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "roombus.Main"));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put("CLUSTER", "true");
    builder.environment().put("HTTP_PORT", String.valueOf(port));
    builder.environment().put("HTTP_INSTANCES", "1");
    builder.directory(new File("."));
    NodeProcess node = new NodeProcess(name, port, log, builder.start());
    try {
      node.awaitReady(Duration.ofSeconds(90));
    } catch (IOException | InterruptedException | RuntimeException e) {
      node.process.destroyForcibly(); // a node that never became ready must not outlive the test
      throw e;
    }
    return node;
  }

  String base() {
    return "http://127.0.0.1:" + httpPort + "/";
  }

  private void awaitReady(Duration patience) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive())
        throw new IllegalStateException(name + " exited; see " + log + ":\n" + tail());
      try {
        HttpResponse<Void> response =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(base() + "api/me"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200); // the polling interval, bounded by the deadline
    }
    throw new IllegalStateException(
        name + " did not answer within " + patience + "; see " + log + ":\n" + tail());
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /** SIGTERM, as {@code kill}: the node drains and leaves the cluster; answers its exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException(name + " did not stop within 60 s of SIGTERM");
    }
    return process.exitValue();
  }

  String logText() throws IOException {
    return Files.readString(log);
  }

  /** SIGKILL, as {@code kill -9}: no shutdown hook runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(
          java.util.concurrent.TimeUnit.SECONDS.toMillis(10),
          java.util.concurrent.TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
