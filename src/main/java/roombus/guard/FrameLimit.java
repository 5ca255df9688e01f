package roombus.guard;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;

/**
 * How many frames one bridge connection may send a second ({@code FRAMES_PER_SECOND}, all at once
 * if it likes): a resilience4j limiter per connection, made only while the connection sends faster
 * than a frame a second (a {@link Gate}; an idle connection, which pings every few seconds, holds
 * none). Frames past the limit are dropped; the first {@code FRAMES_PER_SECOND} dropped in a second
 * are answered with an error, the rest silently (answering each would let a client make the node
 * write as fast as it reads). A connection that has more than ten times the limit dropped in each
 * of three seconds in a row is closed.
 */
public final class FrameLimit {

  /** What to do with a frame. */
  public enum Verdict {
    /** Handle it. */
    PASS,
    /** Drop it, and tell the client why. */
    REFUSE,
    /** Drop it without a word: the client has been told enough this second. */
    DROP,
    /** Drop it and close the connection: it keeps flooding. */
    CLOSE
  }

  /** Frames dropped per second, as a multiple of the limit, that count as a flood. */
  static final int FLOOD_FACTOR = 10;

  /** Seconds in a row of flood that close a connection. */
  static final int FLOOD_SECONDS = 3;

  private final int perSecond;
  private final int flood;
  private final RateLimiterConfig config;

  public FrameLimit(int perSecond) {
    this.perSecond = perSecond;
    this.flood = (int) Math.min(Integer.MAX_VALUE, (long) perSecond * FLOOD_FACTOR);
    this.config =
        RateLimiterConfig.custom()
            .limitForPeriod(perSecond)
            .limitRefreshPeriod(Duration.ofSeconds(1))
            .timeoutDuration(Duration.ZERO)
            .build();
  }

  public int perSecond() {
    return perSecond;
  }

  /** A gate for one connection that has begun to send quickly (its {@link Pace} makes it). */
  Gate gate() {
    return new Gate();
  }

  /** One new connection's pace, heard from at {@code nowMillis}. */
  public Pace pace(long nowMillis) {
    return new Pace(nowMillis);
  }

  /**
   * One connection's frames as they come: when it was last heard from, and its {@link Gate} while
   * it sends faster than a frame a second, let go after a second of quiet (its permits would all be
   * back by then anyway). Used on the connection's event loop; {@link #silentSince} may be asked
   * from another thread (a slightly old answer only delays an idle close).
   */
  public final class Pace {
    private long lastHeard;
    private Gate gate;

    private Pace(long nowMillis) {
      this.lastHeard = nowMillis;
    }

    /** The verdict on a frame arriving at {@code nowMillis}. */
    public Verdict admit(long nowMillis) {
      long quiet = nowMillis - lastHeard;
      lastHeard = nowMillis;
      if (quiet >= 1000) {
        gate = null;
        return Verdict.PASS;
      }
      if (gate == null) gate = gate();
      return gate.admit(nowMillis);
    }

    /** The connection spoke at {@code nowMillis} (a frame not asked about, a ping). */
    public void heard(long nowMillis) {
      lastHeard = nowMillis;
    }

    /** Whether nothing was heard from the connection since {@code cutoffMillis}. */
    public boolean silentSince(long cutoffMillis) {
      return lastHeard < cutoffMillis;
    }
  }

  /** One connection's limit; used on the connection's event loop only. */
  public final class Gate {
    private final RateLimiter limiter = RateLimiter.of("frames", config);

    /** The second (from the first frame dropped in it) whose dropped frames are counted. */
    private long windowStart = Long.MIN_VALUE / 2;

    private int dropped;
    private int answered;
    private int floodSeconds;

    private Gate() {}

    /** The verdict on a frame arriving at {@code nowMillis}. */
    public Verdict admit(long nowMillis) {
      if (limiter.acquirePermission()) return Verdict.PASS;
      long since = nowMillis - windowStart;
      if (since >= 1000) {
        boolean following = since < 2000;
        floodSeconds = following && dropped >= flood ? floodSeconds + 1 : 0;
        windowStart = nowMillis;
        dropped = 0;
        answered = 0;
      }
      dropped++;
      if (dropped >= flood && floodSeconds >= FLOOD_SECONDS - 1) return Verdict.CLOSE;
      return answered++ < perSecond ? Verdict.REFUSE : Verdict.DROP;
    }
  }
}
