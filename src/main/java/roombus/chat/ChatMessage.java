package roombus.chat;

import io.vertx.core.json.JsonObject;

/**
 * One stored message of a room: a chat line, a GIF, or a join/exit notice. {@code seq} numbers a
 * room's messages 1, 2, 3, … as the store assigns them. The JSON form is the same in the store, over
 * HTTP and on the event bus, but for {@code _id}, which clients see as {@code id}.
 */
public record ChatMessage(String id, long seq, String room, String type, String user, String color,
                          String chat, String gif, String createdAt) {

  public static final String CHAT = "chat";
  public static final String GIF = "gif";
  public static final String JOIN = "join";
  public static final String EXIT = "exit";
  public static final String OWNER = "owner";
  public static final String KICK = "kick";
  public static final String WHISPER = "whisper";
  public static final int MAX_CHAT = 1000;
  /** Stored field {@code "<room>|<seq>"}: the unique key history pages look messages up by. Never sent to clients. */
  public static final String KEY = "key";

  public ChatMessage withSeq(long seq) {
    return new ChatMessage(id, seq, room, type, user, color, chat, gif, createdAt);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("type", type)
        .put("id", id)
        .put("seq", seq)
        .put("room", room)
        .put("user", user)
        .put("color", color);
    if (chat != null) json.put("chat", chat);
    if (gif != null) json.put("gif", gif).put("url", "gif/" + gif);
    return json.put("createdAt", createdAt);
  }

  /**
   * A new message id: a UUID whose first 48 bits are the current time in milliseconds (the layout of
   * UUID version 7), the rest random. Ids made one after another sort one after another, so the store's
   * id index takes each batch of new messages into the same few pages instead of one page per message.
   */
  public static String newId() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    long msb = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new java.util.UUID(msb, lsb).toString();
  }

  public static String key(String room, long seq) {
    return room + "|" + seq;
  }

  public JsonObject toDocument() {
    JsonObject doc = new JsonObject()
        .put("_id", id)
        .put("room", room)
        .put("seq", seq)
        .put(KEY, key(room, seq))
        .put("type", type)
        .put("user", user)
        .put("color", color)
        .put("createdAt", createdAt);
    if (chat != null) doc.put("chat", chat);
    if (gif != null) doc.put("gif", gif);
    return doc;
  }

  public static ChatMessage fromJson(JsonObject json) {
    String id = json.containsKey("_id") ? json.getString("_id") : json.getString("id");
    return new ChatMessage(id, json.getLong("seq", 0L), json.getString("room"), json.getString("type"),
        json.getString("user"), json.getString("color"), json.getString("chat"), json.getString("gif"),
        json.getString("createdAt"));
  }
}
