package roombus.busclient;

import io.vertx.core.json.JsonArray;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * The SockJS framing of the polling transports: an answer is {@code o} (the session is open),
 * {@code h} (a heartbeat: nothing happened), {@code a["frame",...]} (frames, each a JSON string) or
 * {@code c[code,"reason"]} (the session is closed); each ends with a newline.
 */
final class SockJsFrames {

  enum Kind {
    OPEN,
    HEARTBEAT,
    MESSAGES,
    CLOSE,
    UNKNOWN
  }

  private SockJsFrames() {}

  /**
   * Decodes one answer: hands every frame it carries to {@code frames}, in order, and says what
   * kind of answer it was ({@link Kind#CLOSE} if any line closes the session). Throws when an array
   * is not JSON.
   */
  static Kind decode(String body, Consumer<String> frames) {
    Kind answer = null;
    for (String line : body.split("\n")) {
      line = line.trim();
      if (line.isEmpty()) continue;
      Kind kind = kindOf(line);
      if (kind == Kind.MESSAGES) {
        for (Object frame : new JsonArray(line.substring(1))) frames.accept(String.valueOf(frame));
      }
      if (kind == Kind.CLOSE || answer == null) answer = kind;
    }
    return answer == null ? Kind.UNKNOWN : answer;
  }

  /** The {@code [code, "reason"]} of an answer's close line, or null when it has none. */
  static JsonArray closeOf(String body) {
    for (String line : body.split("\n")) {
      line = line.trim();
      if (line.startsWith("c[")) {
        try {
          return new JsonArray(line.substring(1));
        } catch (RuntimeException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static Kind kindOf(String line) {
    return switch (line.charAt(0)) {
      case 'o' -> line.length() == 1 ? Kind.OPEN : Kind.UNKNOWN;
      case 'h' -> line.length() == 1 ? Kind.HEARTBEAT : Kind.UNKNOWN;
      case 'a' -> Kind.MESSAGES;
      case 'c' -> Kind.CLOSE;
      default -> Kind.UNKNOWN;
    };
  }

  /** The body of an {@code xhr_send}: the frames as a JSON array of strings. */
  static String encode(Collection<String> frames) {
    JsonArray array = new JsonArray();
    for (String frame : frames) array.add(frame);
    return array.encode();
  }
}
