package roombus.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What the terminal client prints: one line per event of the room and per room of the list, the
 * users' text made safe for a terminal.
 */
final class TerminalLines {

  private TerminalLines() {}

  /** The line of one event of the room; a GIF's address is resolved against {@code hub}. */
  static String event(JsonObject event, URI hub) {
    String type = event.getString("type", "");
    String color = clean(event.getString("color", "?"));
    return switch (type) {
      case "welcome" ->
          "* you are "
              + color
              + "; "
              + event.getInteger("count")
              + " here; type a line to send it, Ctrl-D to leave";
      case "chat" -> "[" + color + "] " + clean(event.getString("chat"));
      case "gif" -> "[" + color + "] GIF " + hub.resolve(event.getString("url", ""));
      case "whisper" ->
          "["
              + color
              + " whispers to "
              + clean(event.getString("toColor", "?"))
              + "] "
              + clean(event.getString("chat"));
      case "removed" -> "* the room was deleted";
      case "kick" -> "* " + clean(event.getString("chat"));
      default -> "* " + clean(event.getString("chat", type));
    };
  }

  /** The room list, a line per room: id, count/max, whether locked, title. */
  static List<String> rooms(JsonArray rooms) {
    if (rooms.isEmpty()) return List.of("(no rooms)");
    List<String> lines = new ArrayList<>(rooms.size());
    for (Object value : rooms) {
      JsonObject room = (JsonObject) value;
      lines.add(
          String.format(
              "%s  %3d/%-3d %s  %s",
              room.getString("id"),
              room.getInteger("count"),
              room.getInteger("max"),
              room.getBoolean("locked", false) ? "locked" : "      ",
              clean(room.getString("title"))));
    }
    return lines;
  }

  /** The line for a room this client created. */
  static String created(JsonObject room) {
    return "* created \"" + clean(room.getString("title")) + "\" (" + room.getString("id") + ")";
  }

  /** The line for the room this client enters: its title, id and occupancy. */
  static String entering(JsonObject room) {
    return "* entering \""
        + clean(room.getString("title"))
        + "\" ("
        + room.getString("id")
        + "), "
        + room.getInteger("count")
        + "/"
        + room.getInteger("max")
        + " here";
  }

  /**
   * User text for a terminal: control characters (escape sequences) and bidi overrides are
   * replaced.
   */
  static String clean(String text) {
    if (text == null) return "";
    StringBuilder safe = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              boolean bidi = (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
              safe.appendCodePoint(Character.isISOControl(c) || bidi ? '\uFFFD' : c);
            });
    return safe.toString();
  }
}
