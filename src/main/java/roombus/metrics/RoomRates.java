package roombus.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Messages stored per room over the last minute, in twelve buckets of five seconds: what the admin
 * view shows as a room's message rate. Rooms quiet for a minute are forgotten.
 */
final class RoomRates {

  private static final long BUCKET_MS = 5_000;
  private static final int BUCKETS = 12;

  private final Map<String, long[]> counts = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  RoomRates() {
    this(System::currentTimeMillis);
  }

  RoomRates(LongSupplier clock) {
    this.clock = clock;
  }

  /** One more message in {@code roomId} now. */
  void add(String roomId) {
    long bucket = clock.getAsLong() / BUCKET_MS;
    long[] ring = counts.computeIfAbsent(roomId, r -> new long[BUCKETS * 2]);
    synchronized (ring) {
      int slot = (int) (bucket % BUCKETS);
      if (ring[BUCKETS + slot] != bucket) {
        ring[BUCKETS + slot] = bucket;
        ring[slot] = 0;
      }
      ring[slot]++;
    }
  }

  /** Messages of the last minute, by room, for the rooms that had any. */
  Map<String, Integer> perMinute() {
    long now = clock.getAsLong() / BUCKET_MS;
    Map<String, Integer> rates = new HashMap<>();
    counts.forEach(
        (room, ring) -> {
          int sum = 0;
          synchronized (ring) {
            for (int slot = 0; slot < BUCKETS; slot++) {
              if (now - ring[BUCKETS + slot] < BUCKETS) sum += (int) ring[slot];
            }
          }
          if (sum > 0) rates.put(room, sum);
          else counts.remove(room, ring);
        });
    return rates;
  }
}
