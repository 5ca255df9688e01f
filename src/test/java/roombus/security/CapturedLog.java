package roombus.security;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.slf4j.LoggerFactory;

/**
 * Every line logged in this JVM (the hub under test runs in it) while the capture is open. The hub
 * logs through slf4j-simple to {@code System.err}, which slf4j-simple looks up again for every line
 * (its {@code cacheOutputStream} setting is off by default), so swapping {@code System.err} catches
 * it; the lines still reach the original stream as well. {@link #start} checks that a line logged
 * through SLF4J really arrives, so a change of logging backend cannot make these tests pass by
 * seeing nothing.
 */
final class CapturedLog implements AutoCloseable {

  private final PrintStream original;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  private CapturedLog() {
    this.original = System.err;
    System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
  }

  static CapturedLog start() {
    CapturedLog log = new CapturedLog();
    String probe = "log capture probe " + UUID.randomUUID();
    LoggerFactory.getLogger(CapturedLog.class).info(probe);
    if (log.lines().stream().noneMatch(line -> line.contains(probe))) {
      log.close();
      throw new IllegalStateException(
          "SLF4J output does not go through System.err: these log checks would see nothing");
    }
    log.captured.reset();
    return log;
  }

  /** Every line so far. */
  List<String> lines() {
    String text;
    synchronized (captured) {
      text = captured.toString(StandardCharsets.UTF_8);
    }
    return text.lines().toList();
  }

  /** The lines logged at WARN or ERROR. */
  List<String> warnings() {
    return lines().stream()
        .filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
        .toList();
  }

  /** The lines of stack traces: the {@code at ...} frames, one per line. */
  List<String> stackFrames() {
    return lines().stream().filter(line -> line.startsWith("\tat ")).toList();
  }

  /** The lines that contain {@code text}. */
  List<String> linesContaining(String text) {
    return lines().stream().filter(line -> line.contains(text)).toList();
  }

  @Override
  public void close() {
    System.setErr(original);
  }

  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final ByteArrayOutputStream second;

    Tee(OutputStream first, ByteArrayOutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) {
      synchronized (second) {
        second.write(b);
      }
      try {
        first.write(b);
      } catch (java.io.IOException ignored) {
        // the copy for the test is what counts
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      synchronized (second) {
        second.write(b, off, len);
      }
      try {
        first.write(b, off, len);
      } catch (java.io.IOException ignored) {
        // the copy for the test is what counts
      }
    }

    @Override
    public void flush() {
      try {
        first.flush();
      } catch (java.io.IOException ignored) {
        // nothing to do
      }
    }
  }
}
