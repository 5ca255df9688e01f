package roombus.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/** The figures of a run's JSON lines: the server's, the connect times, and their rounding. */
final class BenchFigures {

  private BenchFigures() {}

  /** The server's figures of a load step: CPU over the window, per delivery, and its RSS. */
  static JsonObject server(
      ServerProbe probe, double cpu, double duration, long deliveries, long peakRssKb) {
    JsonObject server = pids(probe);
    if (!probe.enabled()) return server;
    return server
        .put("cpu_s", round(cpu))
        .put("cpu_pct", round(100 * cpu / duration))
        .put("cpu_us_per_delivery", deliveries == 0 ? null : round(cpu * 1e6 / deliveries))
        .put("peak_rss_mb", round(peakRssKb / 1024.0))
        .put("rss_hwm_since_start_mb", round(probe.peakRssSinceStartKb() / 1024.0));
  }

  /**
   * The server's figures of an idle window: its RSS before the sockets and with them, per socket,
   * and its CPU over the window.
   */
  static JsonObject idleServer(
      ServerProbe probe,
      long rssBeforeKb,
      long rssConnectedKb,
      long peakRssKb,
      int live,
      double cpu,
      double window) {
    JsonObject server = pids(probe);
    if (!probe.enabled()) return server;
    return server
        .put("rss_before_mb", round(rssBeforeKb / 1024.0))
        .put("rss_connected_mb", round(rssConnectedKb / 1024.0))
        .put("peak_rss_mb", round(peakRssKb / 1024.0))
        .put(
            "rss_per_connection_kb",
            live == 0 ? null : round((double) (rssConnectedKb - rssBeforeKb) / live))
        .put("idle_cpu_s", round(cpu))
        .put("idle_cpu_pct", round(100 * cpu / window));
  }

  private static JsonObject pids(ServerProbe probe) {
    return new JsonObject().put("pids", new JsonArray(new ArrayList<>(probe.pids())));
  }

  /** How long the live sockets took from the start of their set-up to live: p50, p99, max. */
  static JsonObject connectTimes(List<BenchLink> sockets) {
    long[] micros =
        sockets.stream()
            .filter(BenchLink::live)
            .mapToLong(s -> s.user().setupMicros + s.connectMicros())
            .toArray();
    Arrays.sort(micros);
    JsonObject json = new JsonObject();
    if (micros.length == 0) return json;
    return json.put("p50", ms(percentile(micros, 0.50)))
        .put("p99", ms(percentile(micros, 0.99)))
        .put("max", ms(micros[micros.length - 1]));
  }

  /** The value at quantile {@code q} of sorted, non-empty values (nearest rank). */
  private static long percentile(long[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  }

  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (Exception e) {
      return -1;
    }
  }

  static JsonObject counts(Map<String, LongAdder> map) {
    JsonObject json = new JsonObject();
    new TreeMap<>(map).forEach((k, v) -> json.put(k, v.sum()));
    return json;
  }

  static long seconds(double s) {
    return (long) (s * 1e9);
  }

  static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static double round4(double v) {
    return Math.floor(v * 10_000) / 10_000.0;
  }
}
