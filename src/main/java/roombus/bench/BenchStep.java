package roombus.bench;

import static roombus.bench.BenchFigures.ms;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What one step measures; shared by all event loops of the generator. */
final class BenchStep {
  final long windowStart;
  final long windowEnd;
  final LongAdder sent = new LongAdder();
  final LongAdder expected = new LongAdder();
  final LongAdder received = new LongAdder();
  final LongAdder deliveredInWindow = new LongAdder();
  final LatencyHistogram latency = new LatencyHistogram();
  final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  volatile long peakRss;

  /** The latency of the messages sent in each second of the window, or null: not asked for. */
  final LatencyHistogram[] perSecond;

  BenchStep(long windowStart, long windowEnd, boolean timeline) {
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
    this.perSecond =
        timeline ? new LatencyHistogram[(int) Math.ceil((windowEnd - windowStart) / 1e9)] : null;
    if (perSecond != null) Arrays.setAll(perSecond, i -> new LatencyHistogram());
  }

  void delivered(long sentAt, long micros) {
    latency.record(micros);
    if (perSecond != null)
      perSecond[(int) Math.min(perSecond.length - 1, (sentAt - windowStart) / 1_000_000_000L)]
          .record(micros);
  }

  /** Second by second: how many messages sent then arrived, their p50, p99 and max (ms). */
  JsonArray timeline() {
    JsonArray seconds = new JsonArray();
    for (LatencyHistogram second : perSecond) {
      seconds.add(
          new JsonObject()
              .put("n", second.count())
              .put("p50", ms(second.percentileMicros(0.50)))
              .put("p99", ms(second.percentileMicros(0.99)))
              .put("max", ms(second.maxMicros())));
    }
    return seconds;
  }
}
