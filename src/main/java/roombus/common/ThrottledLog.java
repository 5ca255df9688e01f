package roombus.common;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A log line that clients can cause again and again (a slow socket closed, a request that failed):
 * written at most {@code perMinute} times a minute, whatever the number of clients or attempts, so
 * that nobody can flood the log, or the disk under it, from outside. The first line written after
 * some were left out says how many. Safe to share between event loops.
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

  /** Warnings of several kinds, each kind at most once per {@code every}; see {@link PerKind}. */
  public static PerKind perKind(Logger log, Duration every) {
    return new PerKind(log, every.toNanos());
  }

  /**
   * Warnings that a flood could repeat thousands of times a second (refused posts, refused frames)
   * or a timer every second (a store that is down): at most one line per interval for each kind,
   * the next one saying how many were left out meanwhile.
   */
  public static final class PerKind {
    private final Logger log;
    private final long everyNanos;
    private final ConcurrentHashMap<String, AtomicLong[]> windows = new ConcurrentHashMap<>();

    private PerKind(Logger log, long everyNanos) {
      this.log = log;
      this.everyNanos = everyNanos;
    }

    public void warn(String kind, String format, Object... args) {
      if (!log.isWarnEnabled()) return;
      AtomicLong[] window =
          windows.computeIfAbsent(
              kind,
              k ->
                  new AtomicLong[] {
                    new AtomicLong(System.nanoTime() - everyNanos), new AtomicLong()
                  });
      long now = System.nanoTime();
      long last = window[0].get();
      if (now - last < everyNanos || !window[0].compareAndSet(last, now)) {
        window[1].incrementAndGet();
        return;
      }
      long suppressed = window[1].getAndSet(0);
      log.warn(
          suppressed == 0 ? format : format + " suppressed={}",
          cleaned(suppressed == 0 ? args : withArg(args, suppressed)));
    }
  }

  /**
   * Control characters (line breaks) replaced, and at most 200 characters: a client's words never
   * forge a log line.
   */
  public static String clean(String text) {
    String cut = text.length() > 200 ? text.substring(0, 200) + "…" : text;
    StringBuilder safe = new StringBuilder(cut.length());
    cut.codePoints().forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return safe.toString();
  }

  private static Object[] cleaned(Object[] args) {
    Object[] copy = args.clone();
    for (int i = 0; i < copy.length; i++) if (copy[i] instanceof String text) copy[i] = clean(text);
    return copy;
  }

  private static Object[] withArg(Object[] args, Object more) {
    Object[] all = Arrays.copyOf(args, args.length + 1);
    all[args.length] = more;
    return all;
  }

  public void info(String format, Object... args) {
    if (!log.isInfoEnabled()) return;
    long skipped = admit();
    if (skipped >= 0) log.info(withCount(format, skipped), cleaned(withCount(args, skipped)));
  }

  public void warn(String format, Object... args) {
    if (!log.isWarnEnabled()) return;
    long skipped = admit();
    if (skipped >= 0) log.warn(withCount(format, skipped), cleaned(withCount(args, skipped)));
  }

  public void error(String format, Object... args) {
    if (!log.isErrorEnabled()) return;
    long skipped = admit();
    if (skipped >= 0) log.error(withCount(format, skipped), cleaned(withCount(args, skipped)));
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

  /**
   * The arguments with the count added, before a trailing exception (SLF4J takes that as the
   * cause).
   */
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
