package roombus.bench;

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

  BenchStep(long windowStart, long windowEnd) {
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
  }
}
