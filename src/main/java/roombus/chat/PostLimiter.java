package roombus.chat;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How fast one user may post, and say they are typing: a token bucket per user (resilience4j) for
 * each, shared by all their tabs and transports on this node. A flooding client gets "slow down"
 * answers instead of filling the rooms; typing signals beyond {@link #TYPING_PER_SECOND} are
 * dropped.
 */
public final class PostLimiter {

  /** Typing signals one user may send per second (the page sends one every few seconds at most). */
  public static final int TYPING_PER_SECOND = 2;

  private final RateLimiterConfig config;
  private final RateLimiterConfig typingConfig;
  private final ConcurrentHashMap<String, Entry> limiters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Entry> typing = new ConcurrentHashMap<>();

  public PostLimiter(int perSecond) {
    this.config = perSecond(perSecond);
    this.typingConfig = perSecond(TYPING_PER_SECOND);
  }

  private static RateLimiterConfig perSecond(int permits) {
    return RateLimiterConfig.custom()
        .limitForPeriod(permits)
        .limitRefreshPeriod(Duration.ofSeconds(1))
        .timeoutDuration(Duration.ZERO)
        .build();
  }

  /** True when the user may post now; never waits. */
  public boolean tryAcquire(String user) {
    return acquire(limiters, config, user);
  }

  /** True when the user may say they are typing now; never waits. */
  public boolean tryTyping(String user) {
    return acquire(typing, typingConfig, user);
  }

  private static boolean acquire(
      ConcurrentHashMap<String, Entry> buckets, RateLimiterConfig config, String user) {
    Entry entry = buckets.computeIfAbsent(user, u -> new Entry(RateLimiter.of(u, config)));
    entry.lastUse = System.nanoTime();
    return entry.limiter.acquirePermission();
  }

  /** Forgets users who have not posted for a while, so the maps do not grow with every visitor. */
  public void forgetIdle(Duration idle) {
    long cutoff = System.nanoTime() - idle.toNanos();
    limiters.values().removeIf(e -> e.lastUse < cutoff);
    typing.values().removeIf(e -> e.lastUse < cutoff);
  }

  private static final class Entry {
    final RateLimiter limiter;
    volatile long lastUse;

    Entry(RateLimiter limiter) {
      this.limiter = limiter;
    }
  }
}
