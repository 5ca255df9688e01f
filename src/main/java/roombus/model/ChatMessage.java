package roombus.model;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One stored message of a room: a chat line, a GIF, or a notice (join, exit, owner, kick). {@code
 * seq} numbers a room's messages 1, 2, 3, … as the store assigns them. {@code key} is the
 * idempotency key its author's client gave it (or null): the room stores one message per author and
 * key. {@link #toJson()} is its shape over HTTP and on the event bus.
 */
public record ChatMessage(
    String id,
    long seq,
    String room,
    String type,
    String user,
    String color,
    String chat,
    String gif,
    String createdAt,
    String key) {

  public static final String CHAT = "chat";
  public static final String GIF = "gif";
  public static final String JOIN = "join";
  public static final String EXIT = "exit";
  public static final String OWNER = "owner";
  public static final String KICK = "kick";
  public static final String WHISPER = "whisper";
  public static final int MAX_CHAT = 1000;

  /** The longest idempotency key a client may give (a UUID has 36 characters). */
  public static final int MAX_KEY = 64;

  /** A message without an idempotency key (notices, and clients that give none). */
  public ChatMessage(
      String id,
      long seq,
      String room,
      String type,
      String user,
      String color,
      String chat,
      String gif,
      String createdAt) {
    this(id, seq, room, type, user, color, chat, gif, createdAt, null);
  }

  public ChatMessage withSeq(long seq) {
    return new ChatMessage(id, seq, room, type, user, color, chat, gif, createdAt, key);
  }

  /** Written by a user (a chat line or a GIF), not by the hub (a notice). */
  public boolean authored() {
    return CHAT.equals(type) || GIF.equals(type);
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("type", type)
            .put("id", id)
            .put("seq", seq)
            .put("room", room)
            .put("user", user)
            .put("color", color);
    if (chat != null) json.put("chat", chat);
    if (gif != null) json.put("gif", gif).put("url", "gif/" + gif);
    json.put("createdAt", createdAt);
    if (key != null) json.put("key", key);
    return json;
  }

  /** Reads {@link #toJson()}, or a stored document (whose id is {@code _id}). */
  public static ChatMessage fromJson(JsonObject json) {
    String id = json.containsKey("_id") ? json.getString("_id") : json.getString("id");
    return new ChatMessage(
        id,
        json.getLong("seq", 0L),
        json.getString("room"),
        json.getString("type"),
        json.getString("user"),
        json.getString("color"),
        json.getString("chat"),
        json.getString("gif"),
        json.getString("createdAt"),
        json.getString("key"));
  }

  /**
   * A new message id: a UUID whose first 48 bits are the current time in milliseconds (the layout
   * of UUID version 7), the rest random, so that ids made one after another sort one after another
   * and the id index takes new messages into the same few pages.
   */
  public static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long msb = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
