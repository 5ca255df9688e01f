package roombus.security;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import roombus.Addresses;

/**
 * Random and mutated inputs for {@link FuzzTest}, every choice drawn from one seeded {@link Random}
 * so that a seed replays the same inputs: bridge frames (the stock Vert.x frame types with
 * plausible and hostile fields, as JSON text written by hand so that it can hold what a JSON
 * library would not write, then often mutated byte by byte) and HTTP requests to every route of
 * docs/protocol.md.
 */
final class FuzzInputs {

  /** What the inputs aim at: the hub's rooms, users, a token and a GIF of the test's own. */
  record Targets(
      String room, String ownRoom, List<String> users, String token, String gif, int port) {}

  /** An HTTP request as it goes on the wire: anything may be wrong with it. */
  record HttpInput(
      String method, String target, List<String> headers, byte[] body, boolean chunked) {

    /** The request in a line, for a failure message. */
    String describe() {
      String text = new String(body, StandardCharsets.ISO_8859_1);
      return method
          + " "
          + cut(target, 200)
          + " "
          + headers.stream().map(h -> cut(h, 80)).toList()
          + (chunked ? " (chunked)" : "")
          + " body["
          + body.length
          + "]: "
          + cut(text, 300);
    }
  }

  /** Every internal address of the hub, and some that look like them. */
  static final List<String> FORBIDDEN =
      List.of(
          Addresses.ROOMS,
          Addresses.STORE_ROOMS,
          Addresses.STORE_PRESENCE,
          Addresses.STORE_CHATS,
          Addresses.STORE_SESSIONS,
          Addresses.STORE_GIFS,
          Addresses.STORE_CONTROL,
          Addresses.STORE_REMOVALS,
          Addresses.STORE_CHATS_NUMBERED_BY,
          Addresses.numbering("node"),
          Addresses.ADMIN,
          Addresses.ADMIN_DISCONNECT,
          Addresses.ADMIN_NODE,
          Addresses.adminNode("node"),
          "chat.room.*",
          "chat.room.",
          "chat.room",
          "chat.rooms.",
          "chat.rooms.x",
          "chat.room.a.b",
          "chat.room.../store.chats",
          "store.*",
          "*",
          "#",
          "",
          "__vertx.reply.1",
          "__vertx.reply.");

  private static final String[] NUMBERS = {
    "0",
    "-0",
    "1",
    "-1",
    "2",
    "10",
    "100",
    "101",
    "1000",
    "1001",
    "0.5",
    "2.0",
    "1e2",
    "1E300",
    "1e999",
    "-1e999",
    "4294967298",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "123456789012345678901234567890123456789",
    "0.000000000000000000000000000001",
    "1.7976931348623157e308"
  };

  /** Not JSON at all, where a value should be. */
  private static final String[] BROKEN_VALUES = {
    "NaN", "Infinity", "-Infinity", "01", "0x10", "+1", ".5", "1.", "tru", "nul", "'x'", "undefined"
  };

  private final Random random;
  private final Targets targets;

  FuzzInputs(long seed, Targets targets) {
    this.random = new Random(seed);
    this.targets = targets;
  }

  int nextInt(int bound) {
    return random.nextInt(bound);
  }

  boolean chance(double p) {
    return random.nextDouble() < p;
  }

  private <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  private String pick(String... items) {
    return items[random.nextInt(items.length)];
  }

  // ---- bridge frames ----------------------------------------------------------------------------

  /**
   * A bridge frame as bytes: a generated frame (valid often enough to get past the gate), in four
   * cases out of ten mutated, and now and then plain garbage.
   */
  byte[] frame() {
    if (chance(0.04)) return randomBytes(1 + random.nextInt(200));
    byte[] frame = frameText().getBytes(StandardCharsets.UTF_8);
    return chance(0.4) ? mutate(frame) : frame;
  }

  /** A frame of the stock bridge format with plausible and hostile fields, as JSON text. */
  String frameText() {
    List<String> fields = new ArrayList<>();
    String type =
        switch (random.nextInt(20)) {
          case 0, 1, 2, 3, 4 -> "register";
          case 5, 6 -> "unregister";
          case 7, 8, 9, 10, 11, 12, 13 -> "send";
          case 14 -> "publish";
          case 15 -> "ping";
          case 16 -> null;
          case 17 -> "rec";
          default -> stringValue();
        };
    if (type != null) fields.add(member("type", chance(0.95) ? quote(type) : value(2)));
    if (chance(0.93)) fields.add(member("address", address()));
    if ("send".equals(type) || "publish".equals(type) || chance(0.15))
      fields.add(member("body", chance(0.85) ? sendBody() : value(3)));
    if (chance(0.35)) fields.add(member("headers", headers()));
    if (chance(0.3)) fields.add(member("replyAddress", chance(0.8) ? replyAddress() : value(1)));
    if (chance(0.1)) fields.add(memberLiteral(stringValue(), value(2)));
    if (chance(0.05)) fields.add(member("type", quote("send"))); // a duplicate key
    java.util.Collections.shuffle(fields, random);
    return "{" + String.join(",", fields) + "}";
  }

  private String address() {
    return switch (random.nextInt(20)) {
      case 0, 1, 2, 3, 4, 5 -> quote(Addresses.room(targets.room()));
      case 6, 7, 8 -> quote(Addresses.room(targets.ownRoom()));
      case 9, 10 -> quote(Addresses.ROOM_LIST);
      case 11, 12, 13 -> quote(pick(FORBIDDEN));
      case 14, 15 -> quote(Addresses.ROOM_PREFIX + junkId());
      case 16 ->
          quote(Addresses.ROOM_PREFIX + targets.room() + pick(".x", "*", "\u0000", " ", "/"));
      case 17 -> stringValue();
      default -> value(2);
    };
  }

  private String replyAddress() {
    return quote(
        pick(
            "r1",
            "reply-" + random.nextInt(1000),
            Addresses.room(targets.room()),
            Addresses.ROOM_LIST,
            pick(FORBIDDEN),
            "x".repeat(1 + random.nextInt(5000)),
            "\u202e\u0000\"<b>"));
  }

  private String headers() {
    List<String> fields = new ArrayList<>();
    if (chance(0.5)) fields.add(member("since", since()));
    if (chance(0.4)) fields.add(member("token", token()));
    if (chance(0.2)) fields.add(memberLiteral(stringValue(), value(2)));
    return chance(0.9) ? "{" + String.join(",", fields) + "}" : value(2);
  }

  private String since() {
    return switch (random.nextInt(6)) {
      case 0 -> quote("0");
      case 1 -> quote(pick(NUMBERS));
      case 2 -> pick(NUMBERS);
      case 3 -> quote(junkText());
      default -> value(2);
    };
  }

  private String token() {
    return switch (random.nextInt(5)) {
      case 0, 1 -> quote(targets.token());
      case 2 -> quote(targets.token().substring(1) + "A");
      case 3 -> quote(junkText());
      default -> value(2);
    };
  }

  /** The body of a {@code send}: the fields the hub reads, with any kind of value. */
  private String sendBody() {
    List<String> fields = new ArrayList<>();
    if (chance(0.85)) fields.add(member("chat", chatValue()));
    if (chance(0.2)) fields.add(member("to", userValue()));
    if (chance(0.25)) fields.add(member("key", keyValue()));
    if (chance(0.1)) fields.add(member("typing", chance(0.7) ? pick("true", "false") : value(1)));
    if (chance(0.1)) fields.add(member("user", userValue()));
    if (chance(0.1)) fields.add(member("color", quote(pick("#000000", "red", "\"><script>"))));
    if (chance(0.05)) fields.add(member("since", since()));
    return "{" + String.join(",", fields) + "}";
  }

  private String chatValue() {
    return switch (random.nextInt(12)) {
      case 0, 1, 2, 3 -> quote("fuzz " + random.nextInt(1_000_000));
      case 4 -> quote("x".repeat(1000));
      case 5 -> quote("x".repeat(1001));
      case 6 -> quote("\uD83D\uDE00".repeat(1000)); // 1000 code points, 2000 chars
      case 7 -> quote(pick(" ", "\n\t", "\u200b", "\u3000"));
      case 8 -> nested();
      default -> chance(0.5) ? stringValue() : value(2);
    };
  }

  private String userValue() {
    return chance(0.6) ? quote(pick(targets.users())) : chance(0.5) ? stringValue() : value(1);
  }

  private String keyValue() {
    return switch (random.nextInt(5)) {
      case 0 -> quote(UUID.randomUUID().toString());
      case 1 -> quote("k".repeat(64));
      case 2 -> quote("k".repeat(65));
      case 3 -> quote("key-" + random.nextInt(20)); // repeats: the idempotent path
      default -> chance(0.5) ? stringValue() : value(1);
    };
  }

  // ---- JSON values, written by hand
  // ---------------------------------------------------------------

  private static String member(String name, String value) {
    return quote(name) + ":" + value;
  }

  /** A member whose name is already a JSON string literal (any of {@link #stringValue}). */
  private static String memberLiteral(String nameLiteral, String value) {
    return nameLiteral + ":" + value;
  }

  /** Any JSON value (and now and then something that is not JSON), at most {@code depth} deep. */
  String value(int depth) {
    int kind = random.nextInt(depth > 0 ? 12 : 8);
    return switch (kind) {
      case 0, 1 -> stringValue();
      case 2, 3 -> pick(NUMBERS);
      case 4 -> pick("true", "false");
      case 5 -> "null";
      case 6 -> chance(0.3) ? pick(BROKEN_VALUES) : String.valueOf(random.nextLong());
      case 7 -> chance(0.1) ? nested() : quote(junkText());
      case 8, 9 -> {
        List<String> items = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) items.add(value(depth - 1));
        yield "[" + String.join(",", items) + "]";
      }
      default -> {
        List<String> fields = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--)
          fields.add(memberLiteral(stringValue(), value(depth - 1)));
        yield "{" + String.join(",", fields) + "}";
      }
    };
  }

  /** Arrays or objects nested a few to a few thousand levels deep. */
  private String nested() {
    int depth = pick(List.of(10, 100, 999, 1000, 1001, 3000, 20_000));
    boolean arrays = chance(0.5);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < depth; i++) text.append(arrays ? "[" : "{\"a\":");
    text.append("1");
    for (int i = 0; i < depth; i++) text.append(arrays ? ']' : '}');
    return text.toString();
  }

  /** A JSON string literal: text people write, text meant to hurt, and escapes of every kind. */
  String stringValue() {
    if (chance(0.08)) {
      // escapes a JSON library would not write: lone surrogates, NUL, a broken escape
      return "\""
          + pick("\\ud800", "\\udfff", "\\u0000", "\\uD83D\\uDE00", "\\x41", "\\u12", "\\", "\\/")
          + pick("", "a", "\\ud800\\ud800")
          + "\"";
    }
    return quote(junkText());
  }

  private String junkText() {
    return switch (random.nextInt(14)) {
      case 0 -> "";
      case 1 -> "a";
      case 2 -> "x".repeat(1 + random.nextInt(3000));
      case 3 -> "h\u00e9llo w\u00f6rld \u4f60\u597d \u0645\u0631\u062d\u0628\u0627";
      case 4 -> "\u202e\u202d\u2066 bidi";
      case 5 -> "<img src=x onerror=alert(1)>";
      case 6 -> "../../../etc/passwd";
      case 7 -> "%00%zz%2e%2e";
      case 8 -> "\u0000\u0001\u001f\u007f";
      case 9 -> "null";
      case 10 -> pick(targets.users());
      case 11 -> HexFormat.of().formatHex(randomBytes(8));
      case 12 -> Addresses.room(targets.room());
      default -> pick(FORBIDDEN);
    };
  }

  /** A JSON string literal holding {@code text}, escaped as JSON requires. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }

  private String junkId() {
    return switch (random.nextInt(8)) {
      case 0 -> randomRoomId();
      case 1 -> "";
      case 2 -> "x".repeat(64);
      case 3 -> "x".repeat(65);
      case 4 -> "a.b";
      case 5 -> "\u00e9t\u00e9";
      case 6 -> "*";
      default -> junkText();
    };
  }

  private String randomRoomId() {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < 10; i++) id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return id.toString();
  }

  // ---- mutations
  // ----------------------------------------------------------------------------------

  private static final String[] TOKENS = {
    "{",
    "}",
    "[",
    "]",
    "\"",
    "\\",
    ":",
    ",",
    "null",
    "1e999",
    "-",
    "\\u0000",
    "\\ud800",
    "{\"a\":",
    "\"type\":\"send\"",
    "]]]]]]]]",
    "[[[[[[[["
  };

  private static final byte[] BYTES = {
    '{',
    '}',
    '[',
    ']',
    '"',
    '\\',
    ':',
    ',',
    '0',
    '\n',
    0,
    (byte) 0xff,
    (byte) 0xc3,
    (byte) 0x80,
    (byte) 0xed,
    (byte) 0xa0
  };

  /** One to four byte-level changes: flips, insertions, deletions, repeats, truncation. */
  byte[] mutate(byte[] input) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] data = input;
    for (int n = 1 + random.nextInt(4); n > 0; n--) {
      if (data.length == 0) data = new byte[] {'{'};
      int at = random.nextInt(data.length);
      out.reset();
      switch (random.nextInt(7)) {
        case 0 -> {
          data = data.clone();
          data[at] ^= (byte) (1 << random.nextInt(8));
          continue;
        }
        case 1 -> {
          data = data.clone();
          data[at] = BYTES[random.nextInt(BYTES.length)];
          continue;
        }
        case 2 -> {
          out.write(data, 0, at);
          out.writeBytes(
              chance(0.5)
                  ? randomBytes(1 + random.nextInt(8))
                  : pick(TOKENS).getBytes(StandardCharsets.UTF_8));
          out.write(data, at, data.length - at);
        }
        case 3 -> {
          int end = Math.min(data.length, at + 1 + random.nextInt(16));
          out.write(data, 0, at);
          out.write(data, end, data.length - end);
        }
        case 4 -> {
          int end = Math.min(data.length, at + 1 + random.nextInt(32));
          out.write(data, 0, end);
          out.write(data, at, data.length - at);
        }
        case 5 -> out.write(data, 0, at);
        default -> {
          out.write(data, at, data.length - at);
          out.write(data, 0, at);
        }
      }
      data = out.toByteArray();
    }
    return data;
  }

  byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  // ---- HTTP requests ----------------------------------------------------------------------------

  /** A request to one of the hub's routes, with any method, headers, query and body. */
  HttpInput http(String cookie) {
    String id = roomIdForPath();
    String sockJs = "/eventbus/" + pick("1", "999", "x", "") + "/" + sessionIdForPath();
    String[] route =
        pick(
            List.of(
                new String[] {"GET", "/api/me"},
                new String[] {"POST", "/api/token"},
                new String[] {"GET", "/api/rooms"},
                new String[] {"POST", "/api/rooms"},
                new String[] {"GET", "/api/rooms/" + id},
                new String[] {"DELETE", "/api/rooms/" + id},
                new String[] {"POST", "/api/rooms/" + id + "/enter"},
                new String[] {"GET", "/api/rooms/" + id + "/chats"},
                new String[] {"GET", "/api/rooms/" + id + "/chats"},
                new String[] {"POST", "/api/rooms/" + id + "/chats"},
                new String[] {"POST", "/api/rooms/" + id + "/chats"},
                new String[] {"POST", "/api/rooms/" + id + "/gifs"},
                new String[] {"POST", "/api/rooms/" + id + "/owner"},
                new String[] {"POST", "/api/rooms/" + id + "/kick"},
                new String[] {"GET", "/gif/" + gifIdForPath()},
                new String[] {"GET", "/eventbus/info"},
                new String[] {"POST", sockJs + "/xhr_send"},
                new String[] {"POST", sockJs + "/xhr"},
                new String[] {"POST", sockJs + "/jsonp_send"},
                new String[] {"GET", sockJs + "/jsonp"},
                new String[] {"POST", sockJs + "/xhr_streaming"},
                new String[] {"GET", sockJs + "/eventsource"},
                new String[] {"GET", sockJs + "/htmlfile"},
                new String[] {"GET", "/eventbus/websocket"},
                new String[] {"GET", "/eventbus/iframe.html"},
                new String[] {"GET", "/health/ready"},
                new String[] {"GET", "/"},
                new String[] {"GET", "/api/admin/overview"},
                new String[] {"GET", "/api/" + junkPathSegment()},
                new String[] {"GET", "/" + junkPathSegment()}));
    String method =
        chance(0.7)
            ? route[0]
            : pick(
                "GET",
                "POST",
                "PUT",
                "DELETE",
                "PATCH",
                "HEAD",
                "OPTIONS",
                "get",
                "FOO",
                "M-SEARCH");
    String target = route[1] + query(route[1]);
    List<String> headers = new ArrayList<>();
    if (cookie != null) headers.add("Cookie: " + cookie);
    byte[] body = body(route[1]);
    String contentType = contentType(route[1], body);
    if (contentType != null) headers.add("Content-Type: " + contentType);
    if (chance(0.05)) headers.add("Expect: 100-continue");
    if (chance(0.05)) headers.add("Origin: " + pick("http://evil.example", "null", "\u00e9"));
    if (chance(0.03)) headers.add("X-Junk: " + "j".repeat(random.nextInt(10_000)));
    if (chance(0.03)) headers.add("Content-Encoding: gzip");
    if (chance(0.02)) headers.add("Content-Type: text/plain");
    boolean chunked = body.length > 0 && chance(0.1);
    return new HttpInput(method, target, headers, body, chunked);
  }

  private String roomIdForPath() {
    return switch (random.nextInt(20)) {
      case 0, 1, 2, 3, 4, 5, 6, 7 -> targets.room();
      case 8, 9, 10, 11 -> targets.ownRoom();
      case 12, 13 -> randomRoomId();
      default -> junkPathSegment();
    };
  }

  private String gifIdForPath() {
    return switch (random.nextInt(5)) {
      case 0, 1 -> targets.gif();
      case 2 -> HexFormat.of().formatHex(randomBytes(12));
      case 3 -> targets.gif().toUpperCase();
      default -> junkPathSegment();
    };
  }

  /**
   * A new SockJS session id each time, well-formed or not: a poll of a session that exists waits
   * for its next message (up to the heartbeat), which a fuzz has no time for.
   */
  private String sessionIdForPath() {
    String unique = Long.toHexString(random.nextLong());
    return switch (random.nextInt(5)) {
      case 0, 1, 2 -> unique + Long.toHexString(random.nextLong());
      case 3 -> "s".repeat(1 + random.nextInt(200)) + unique;
      default -> junkPathSegment() + unique;
    };
  }

  /** A path segment that may be hard to decode or route: never a space or a line break. */
  private String junkPathSegment() {
    return switch (random.nextInt(14)) {
      case 0 -> "";
      case 1 -> "%";
      case 2 -> "%zz";
      case 3 -> "%00";
      case 4 -> "%2e%2e%2f%2e%2e";
      case 5 -> "..";
      case 6 -> "x".repeat(1 + random.nextInt(6000));
      case 7 -> "\u00e9\u00e9"; // raw UTF-8 in the request line
      case 8 -> "%C3%A9%ED%A0%80";
      case 9 -> "a;b=c";
      case 10 -> "*";
      case 11 -> "%ff%fe";
      case 12 -> "%2F";
      default -> "nope";
    };
  }

  private String query(String path) {
    double p = path.endsWith("/chats") ? 0.7 : path.contains("/eventbus/") ? 0.3 : 0.1;
    if (!chance(p)) return "";
    List<String> params = new ArrayList<>();
    for (int n = 1 + random.nextInt(3); n > 0; n--) {
      String name = pick("before", "after", "limit", "c", "t", "cb", junkQueryText());
      params.add(chance(0.9) ? name + "=" + queryValue() : name);
    }
    return "?" + String.join("&", params);
  }

  private String queryValue() {
    return switch (random.nextInt(8)) {
      case 0, 1, 2 -> pick(NUMBERS);
      case 3 -> "";
      case 4 -> String.valueOf(random.nextInt(20) - 5);
      default -> junkQueryText();
    };
  }

  private String junkQueryText() {
    return pick(
        "abc",
        "%zz",
        "%",
        "%00",
        "1%2e5",
        "+1",
        "1+000",
        "x".repeat(3000),
        "%E2%80%AE",
        "=",
        "&&",
        "alert(1)");
  }

  private String contentType(String path, byte[] body) {
    if (chance(0.1)) return null;
    if (path.endsWith("/gifs") && chance(0.7)) {
      return pick(
          "multipart/form-data; boundary=" + BOUNDARY,
          "multipart/form-data; boundary=\"" + BOUNDARY + "\"",
          "multipart/form-data",
          "multipart/form-data; boundary=",
          "multipart/form-data; boundary=wrong",
          "multipart/mixed; boundary=" + BOUNDARY);
    }
    if (path.endsWith("/jsonp_send") && chance(0.6))
      return pick("application/x-www-form-urlencoded", "text/plain");
    return pick(
        "application/json",
        "application/json",
        "application/json; charset=utf-8",
        "application/json; charset=iso-8859-1",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=" + BOUNDARY,
        "text/html",
        "application/octet-stream",
        "",
        ";;;",
        "application/json; charset=\u00e9");
  }

  private static final String BOUNDARY = "fuzzboundary";

  private byte[] body(String path) {
    if (chance(0.15)) return new byte[0];
    if (chance(0.05)) return randomBytes(1 + random.nextInt(2000));
    if (chance(0.02))
      return ("{\"chat\":\"" + "x".repeat(17_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    byte[] body;
    if (path.endsWith("/gifs")) body = multipart();
    else if (path.endsWith("/xhr_send")) body = sockJsFrames();
    else if (path.endsWith("/jsonp_send"))
      body =
          ("d="
                  + java.net.URLEncoder.encode(
                      new String(sockJsFrames(), StandardCharsets.UTF_8), StandardCharsets.UTF_8))
              .getBytes(StandardCharsets.UTF_8);
    else body = apiBody().getBytes(StandardCharsets.UTF_8);
    return chance(0.35) ? mutate(body) : body;
  }

  /** A body for the JSON API: the fields its routes read, with any kind of value. */
  private String apiBody() {
    if (chance(0.1)) return value(3);
    List<String> fields = new ArrayList<>();
    if (chance(0.4)) fields.add(member("title", chance(0.6) ? quote("Fuzz room") : stringValue()));
    if (chance(0.3)) fields.add(member("max", chance(0.5) ? pick(NUMBERS) : value(1)));
    if (chance(0.2))
      fields.add(
          member("password", chance(0.5) ? quote("pw") : chance(0.5) ? stringValue() : value(1)));
    if (chance(0.5)) fields.add(member("chat", chatValue()));
    if (chance(0.15)) fields.add(member("to", userValue()));
    if (chance(0.15)) fields.add(member("key", keyValue()));
    if (chance(0.3)) fields.add(member("user", userValue()));
    if (chance(0.1)) fields.add(memberLiteral(stringValue(), value(2)));
    return "{" + String.join(",", fields) + "}";
  }

  /** The body of an {@code xhr_send}: a JSON array of frames, each a JSON string. */
  private byte[] sockJsFrames() {
    if (chance(0.1)) return value(2).getBytes(StandardCharsets.UTF_8);
    List<String> frames = new ArrayList<>();
    for (int n = 1 + random.nextInt(3); n > 0; n--)
      frames.add(chance(0.85) ? quote(new String(frame(), StandardCharsets.UTF_8)) : value(1));
    return ("[" + String.join(",", frames) + "]").getBytes(StandardCharsets.UTF_8);
  }

  /** A multipart upload, whole or broken: GIFs, other files, fields, too many parts. */
  private byte[] multipart() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int parts = chance(0.1) ? 9 + random.nextInt(20) : 1 + random.nextInt(3);
    for (int i = 0; i < parts; i++) {
      String name = pick("gif", "gif", "gif", "other", "", "gif\"; filename=\"x");
      boolean file = chance(0.8);
      out.writeBytes(
          ("--"
                  + BOUNDARY
                  + "\r\nContent-Disposition: form-data; name=\""
                  + name
                  + "\""
                  + (file
                      ? "; filename=\"" + pick("a.gif", "", "../../x", "\u00e9.gif") + "\""
                      : "")
                  + "\r\n"
                  + (file ? "Content-Type: " + pick("image/gif", "text/plain", "") + "\r\n" : "")
                  + "\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.writeBytes(
          switch (random.nextInt(5)) {
            case 0, 1 -> Multipart.TINY_GIF;
            case 2 -> "GIF87a".getBytes(StandardCharsets.US_ASCII);
            case 3 -> randomBytes(random.nextInt(3000));
            default -> new byte[0];
          });
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    // without its last boundary now and then: the hub waits 5 s for such an upload's file
    if (chance(0.95))
      out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static String cut(String text, int max) {
    String oneLine = text.replace("\r", "\\r").replace("\n", "\\n");
    return oneLine.length() <= max
        ? oneLine
        : oneLine.substring(0, max) + "…(" + text.length() + ")";
  }
}
