package roombus.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-size histogram of durations in microseconds, safe to record into from several event
 * loops. Exact below 1,024 µs; above, 64 buckets per power of two (at most 1.6% off) up to about 12
 * days. Its memory does not grow with the number of values (about 15 KB), so a long run cannot
 * exhaust it.
 */
final class LatencyHistogram {

  private static final int EXACT = 1024;
  private static final int SUB_BITS = 6;
  private static final int SUB = 1 << SUB_BITS;
  private static final int MAX_EXPONENT = 40;

  private final AtomicLongArray counts = new AtomicLongArray(EXACT + (MAX_EXPONENT - 9) * SUB);
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong max = new AtomicLong();

  void record(long micros) {
    long v = Math.max(0, micros);
    counts.incrementAndGet(index(v));
    total.incrementAndGet();
    long seen;
    while (v > (seen = max.get()) && !max.compareAndSet(seen, v)) {
      // another thread raised it meanwhile; try again
    }
  }

  long count() {
    return total.get();
  }

  long maxMicros() {
    return max.get();
  }

  /**
   * The value at quantile {@code q} (0–1), as the middle of its bucket, never above the maximum.
   */
  long percentileMicros(double q) {
    long n = total.get();
    if (n == 0) return 0;
    long rank = Math.max(1, (long) Math.ceil(q * n));
    long seen = 0;
    for (int i = 0; i < counts.length(); i++) {
      seen += counts.get(i);
      if (seen >= rank) return Math.min(valueOf(i), max.get());
    }
    return max.get();
  }

  static int index(long v) {
    if (v < EXACT) return (int) v;
    int exponent = Math.min(MAX_EXPONENT, 63 - Long.numberOfLeadingZeros(v));
    long sub =
        exponent == MAX_EXPONENT && v >= (1L << (MAX_EXPONENT + 1))
            ? SUB - 1
            : (v >>> (exponent - SUB_BITS)) & (SUB - 1);
    return EXACT + (exponent - 10) * SUB + (int) sub;
  }

  static long valueOf(int index) {
    if (index < EXACT) return index;
    int exponent = (index - EXACT) / SUB + 10;
    long sub = (index - EXACT) % SUB;
    long width = 1L << (exponent - SUB_BITS);
    return ((SUB + sub) << (exponent - SUB_BITS)) + width / 2;
  }
}
