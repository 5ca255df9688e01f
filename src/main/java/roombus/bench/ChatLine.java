package roombus.bench;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The chat text every target carries: {@code t=<System.nanoTime()> r=<run id> xxx…}, padded to the
 * message size. Whatever wraps it (a bridge frame, a Socket.IO event), a receiver finds it by the
 * JSON key {@code "chat":"t=} and reads the send time from the bytes, so latency is measured the
 * same way on every target and no delivered frame is parsed as JSON.
 */
final class ChatLine {

  /** What {@link #sentAt} answers for a frame that carries no chat line. */
  static final long NOT_CHAT = -1;

  /**
   * What {@link #sentAt} answers for a chat line of another run (an earlier run against the same
   * server).
   */
  static final long OTHER_RUN = -2;

  private static final byte[] MARK = "\"chat\":\"t=".getBytes(StandardCharsets.US_ASCII);

  private ChatLine() {}

  /**
   * Appends the chat text (no quotes) for a message sent at {@code now}, {@code size} characters
   * long at least.
   */
  static StringBuilder append(StringBuilder into, long now, long runId, int size) {
    int start = into.length();
    into.append("t=").append(now).append(" r=").append(runId).append(' ');
    while (into.length() - start < size) into.append('x');
    return into;
  }

  /**
   * The send time of the chat line in {@code frame} (never negative: only digits are read) if it
   * belongs to run {@code runId}; else {@link #NOT_CHAT} or {@link #OTHER_RUN}.
   */
  static long sentAt(Buffer frame, long runId) {
    int at = indexOf(frame, MARK, 0);
    if (at < 0) return NOT_CHAT;
    int i = at + MARK.length;
    int end = frame.length();
    long t = 0;
    byte b;
    while (i < end && (b = frame.getByte(i)) >= '0' && b <= '9') {
      t = t * 10 + (b - '0');
      i++;
    }
    if (i + 3 >= end
        || frame.getByte(i) != ' '
        || frame.getByte(i + 1) != 'r'
        || frame.getByte(i + 2) != '=') return OTHER_RUN;
    i += 3;
    long r = 0;
    while (i < end && (b = frame.getByte(i)) >= '0' && b <= '9') {
      r = r * 10 + (b - '0');
      i++;
    }
    return r == runId ? t : OTHER_RUN;
  }

  static boolean startsWith(Buffer frame, byte[] mark) {
    if (frame.length() < mark.length) return false;
    for (int j = 0; j < mark.length; j++) if (frame.getByte(j) != mark[j]) return false;
    return true;
  }

  static int indexOf(Buffer frame, byte[] mark, int from) {
    int last = frame.length() - mark.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (frame.getByte(i) != mark[0]) continue;
      for (int j = 1; j < mark.length; j++) if (frame.getByte(i + j) != mark[j]) continue outer;
      return i;
    }
    return -1;
  }
}
