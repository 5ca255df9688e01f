package roombus.chat;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How fast one user may post: a token bucket per user (resilience4j), shared by all their tabs and
 * transports on this node. A flooding client gets "slow down" answers instead of filling the rooms.
 */
public final class PostLimiter {

  private final RateLimiterConfig config;
  private final ConcurrentHashMap<String, Entry> limiters = new ConcurrentHashMap<>();

  public PostLimiter(int perSecond) {
    this.config = RateLimiterConfig.custom()
        .limitForPeriod(perSecond)
        .limitRefreshPeriod(Duration.ofSeconds(1))
        .timeoutDuration(Duration.ZERO)
        .build();
  }

  /** True when the user may post now; never waits. */
  public boolean tryAcquire(String user) {
    Entry entry = limiters.computeIfAbsent(user, u -> new Entry(RateLimiter.of(u, config)));
    entry.lastUse = System.nanoTime();
    return entry.limiter.acquirePermission();
  }

  /** Forgets users who have not posted for a while, so the map does not grow with every visitor. */
  public void forgetIdle(Duration idle) {
    long cutoff = System.nanoTime() - idle.toNanos();
    limiters.values().removeIf(e -> e.lastUse < cutoff);
  }

  private static final class Entry {
    final RateLimiter limiter;
    volatile long lastUse;

    Entry(RateLimiter limiter) {
      this.limiter = limiter;
    }
  }
}
