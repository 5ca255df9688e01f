package roombus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.StartHub;
import roombus.TestHub;

/**
 * The load tool keeps working: a short run against a real hub prints one JSON line per step with
 * every figure, and at a low rate every message reaches every socket of its room. No timing is
 * asserted; the figures themselves are for bench/README.md.
 */
class LoadBenchSmokeTest {

  @Test
  @DisplayName(
      "a two-second run with a few clients prints its figures, second by second too, and delivers every message")
  void smokeRun(@StartHub(settings = "POSTS_PER_SECOND=100000") TestHub hub) {
    String pid = String.valueOf(ProcessHandle.current().pid());
    List<JsonObject> lines =
        run(
            "--url",
            hub.base(),
            "--clients",
            "8",
            "--room-size",
            "4",
            "--rate",
            "20",
            "--warmup",
            "0.5",
            "--duration",
            "2",
            "--drain",
            "5",
            "--server-pid",
            pid,
            "--timeline",
            "--quiet");

    assertThat(lines).hasSize(1);
    JsonObject line = lines.get(0);
    assertThat(line.fieldNames())
        .contains(
            "offered_deliveries_per_s",
            "achieved_deliveries_per_s",
            "delivery_ratio",
            "latency_ms",
            "connect_ms",
            "server",
            "errors",
            "sent",
            "expected",
            "received");
    assertThat(line.getJsonObject("latency_ms").fieldNames()).contains("p50", "p90", "p99", "max");
    assertThat(line.getJsonObject("connect_ms").fieldNames()).contains("p50", "p99");
    assertThat(line.getJsonObject("server").fieldNames())
        .contains("cpu_s", "cpu_us_per_delivery", "peak_rss_mb");
    assertThat(line.getInteger("clients")).as(line.encode()).isEqualTo(8);
    assertThat(line.getLong("sent")).isPositive();
    assertThat(line.getLong("expected")).isEqualTo(line.getLong("sent") * 4);
    assertThat(line.getDouble("delivery_ratio")).isEqualTo(1.0);
    assertNoErrors(line);
    // one entry per second of the window, together every delivery of the window's messages
    List<JsonObject> seconds =
        line.getJsonArray("timeline").stream().map(JsonObject.class::cast).toList();
    assertThat(seconds).hasSize(2);
    assertThat(seconds.stream().mapToLong(second -> second.getLong("n")).sum())
        .isEqualTo(line.getLong("received"));
    assertThat(seconds)
        .allSatisfy(
            second ->
                assertThat(second.getDouble("max"))
                    .isLessThanOrEqualTo(line.getJsonObject("latency_ms").getDouble("max")));
  }

  @Test
  @DisplayName("the same run over SockJS xhr-polling delivers every message too")
  void pollingRun(@StartHub(settings = "POSTS_PER_SECOND=100000") TestHub hub) {
    List<JsonObject> lines =
        run(
            "--url",
            hub.base(),
            "--clients",
            "6",
            "--room-size",
            "3",
            "--rate",
            "20",
            "--transport",
            "xhr-polling",
            "--warmup",
            "0.5",
            "--duration",
            "2",
            "--drain",
            "5",
            "--quiet");

    assertThat(lines).hasSize(1);
    JsonObject line = lines.get(0);
    assertThat(line.getString("transport")).isEqualTo("xhr-polling");
    assertThat(line.containsKey("timeline")).as("only when asked for").isFalse();
    assertThat(line.getLong("sent")).isPositive();
    assertThat(line.getLong("received")).isEqualTo(line.getLong("sent") * 3);
    assertThat(line.getDouble("delivery_ratio")).isEqualTo(1.0);
    assertNoErrors(line);
  }

  @Test
  @DisplayName("the idle mode holds the sockets in their rooms and reports memory per connection")
  void idleRun(@StartHub(settings = "POSTS_PER_SECOND=100000") TestHub hub) {
    String pid = String.valueOf(ProcessHandle.current().pid());
    List<JsonObject> lines =
        run(
            "--url",
            hub.base(),
            "--clients",
            "6",
            "--room-size",
            "3",
            "--idle",
            "--settle",
            "0.2",
            "--duration",
            "1",
            "--server-pid",
            pid,
            "--quiet");

    assertThat(lines).hasSize(1);
    JsonObject line = lines.get(0);
    assertThat(line.getString("scenario")).isEqualTo("idle");
    assertThat(line.getInteger("clients")).as(line.encode()).isEqualTo(6);
    assertThat(line.getJsonObject("server").fieldNames())
        .contains("rss_per_connection_kb", "idle_cpu_pct");
  }

  @Test
  @DisplayName("bad options are refused with the usage and exit status 2")
  void badOptions() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        LoadBench.run(
            new String[] {"--room-size", "3", "--tabs", "2"},
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("multiple of --tabs", "usage:");
  }

  /**
   * No error but the generator's own lateness: on a machine busy with other work its 1 ms timer may
   * fire late and skip a message (counted as generator_behind), which says nothing about the
   * server.
   */
  static void assertNoErrors(JsonObject line) {
    assertThat(line.getJsonObject("errors").fieldNames()).isSubsetOf("generator_behind");
  }

  /** Runs the load tool in this JVM; answers its JSON lines. */
  static List<JsonObject> run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        LoadBench.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as("exit status; stderr: %s", err.toString(StandardCharsets.UTF_8)).isZero();
    return Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n"))
        .filter(l -> l.startsWith("{"))
        .map(JsonObject::new)
        .toList();
  }
}
