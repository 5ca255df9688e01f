package roombus.common;

import org.slf4j.Logger;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Warnings that a flood could repeat thousands of times a second (refused posts, refused frames) or a
 * timer every second (a store that is down): at most one line per second (or per given interval) for
 * each kind, the next one saying how many were left out meanwhile.
 */
public final class ThrottledLog {

  private static final long EVERY_NANOS = 1_000_000_000L;

  private final Logger log;
  private final long everyNanos;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  public ThrottledLog(Logger log) {
    this(log, java.time.Duration.ofNanos(EVERY_NANOS));
  }

  /** At most one line per {@code every} for each kind. */
  public ThrottledLog(Logger log, java.time.Duration every) {
    this.log = log;
    this.everyNanos = every.toNanos();
  }

  /** Logs at warning level unless a line of this {@code kind} was logged less than a second ago. */
  public void warn(String kind, String format, Object... args) {
    if (!log.isWarnEnabled()) return;
    Window window = windows.computeIfAbsent(kind, k -> new Window(everyNanos));
    long now = System.nanoTime();
    long last = window.last.get();
    if (now - last < everyNanos || !window.last.compareAndSet(last, now)) {
      window.suppressed.incrementAndGet();
      return;
    }
    long suppressed = window.suppressed.getAndSet(0);
    for (int i = 0; i < args.length; i++) {
      if (args[i] instanceof String text) args[i] = clean(text); // a client's words never forge a log line
    }
    log.warn(suppressed == 0 ? format : format + " suppressed={}", suppressed == 0 ? args : append(args, suppressed));
  }

  /** Control characters (line breaks) replaced, and at most 200 characters. */
  static String clean(String text) {
    String cut = text.length() > 200 ? text.substring(0, 200) + "…" : text;
    StringBuilder safe = new StringBuilder(cut.length());
    cut.codePoints().forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return safe.toString();
  }

  private static Object[] append(Object[] args, Object more) {
    Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = more;
    return all;
  }

  private static final class Window {
    final AtomicLong last;
    final AtomicLong suppressed = new AtomicLong();

    Window(long everyNanos) {
      last = new AtomicLong(System.nanoTime() - everyNanos);
    }
  }
}
