package roombus.common;

import org.slf4j.Logger;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A log line that clients can cause again and again (a slow socket closed, a request that failed):
 * written at most {@code perMinute} times a minute, whatever the number of clients or attempts, so that
 * nobody can flood the log, or the disk under it, from outside. The first line written after some were
 * left out says how many. Safe to share between event loops.
 */
public final class ThrottledLog {

  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private final Logger log;
  private final int perMinute;
  private long windowStart = System.nanoTime() - MINUTE;
  private int written;
  private long leftOut;

  private ThrottledLog(Logger log, int perMinute) {
    this.log = log;
    this.perMinute = perMinute;
  }

  public static ThrottledLog of(Logger log, int perMinute) {
    return new ThrottledLog(log, perMinute);
  }

  public void info(String format, Object... args) {
    if (!log.isInfoEnabled()) return;
    long skipped = admit();
    if (skipped >= 0) log.info(withCount(format, skipped), withCount(args, skipped));
  }

  public void warn(String format, Object... args) {
    if (!log.isWarnEnabled()) return;
    long skipped = admit();
    if (skipped >= 0) log.warn(withCount(format, skipped), withCount(args, skipped));
  }

  public void error(String format, Object... args) {
    if (!log.isErrorEnabled()) return;
    long skipped = admit();
    if (skipped >= 0) log.error(withCount(format, skipped), withCount(args, skipped));
  }

  /** -1 when this line is left out; otherwise how many were left out since the last one written. */
  private synchronized long admit() {
    long now = System.nanoTime();
    if (now - windowStart >= MINUTE) {
      windowStart = now;
      written = 0;
    }
    if (written >= perMinute) {
      leftOut++;
      return -1;
    }
    written++;
    long skipped = leftOut;
    leftOut = 0;
    return skipped;
  }

  private static String withCount(String format, long skipped) {
    return skipped == 0 ? format : format + " ({} more like this left out)";
  }

  /** The arguments with the count added, before a trailing exception (SLF4J takes that as the cause). */
  private static Object[] withCount(Object[] args, long skipped) {
    if (skipped == 0) return args;
    boolean cause = args.length > 0 && args[args.length - 1] instanceof Throwable;
    Object[] more = Arrays.copyOf(args, args.length + 1);
    if (cause) {
      more[args.length - 1] = skipped;
      more[args.length] = args[args.length - 1];
    } else {
      more[args.length] = skipped;
    }
    return more;
  }
}
