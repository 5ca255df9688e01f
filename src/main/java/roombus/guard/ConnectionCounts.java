package roombus.guard;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many bridge connections each web session holds open on this node, whatever their transport
 * and whichever verticle instance took them: at most {@code CONNECTIONS_PER_SESSION}. A session
 * with none has no entry.
 */
public final class ConnectionCounts {

  private final int max;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  public ConnectionCounts(int max) {
    this.max = max;
  }

  /** The most connections one session may hold at once. */
  public int max() {
    return max;
  }

  /** Counts one more connection of {@code session}; false (and nothing counted) when it has all. */
  public boolean tryOpen(String session) {
    boolean[] counted = {false};
    open.compute(
        session,
        (s, n) -> {
          int now = n == null ? 0 : n;
          if (now >= max) return n;
          counted[0] = true;
          return now + 1;
        });
    return counted[0];
  }

  /** A connection counted by {@link #tryOpen} is gone. */
  public void closed(String session) {
    open.computeIfPresent(session, (s, n) -> n <= 1 ? null : n - 1);
  }

  /** Connections {@code session} holds (tests). */
  int of(String session) {
    return open.getOrDefault(session, 0);
  }
}
