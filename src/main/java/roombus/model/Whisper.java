package roombus.model;

import io.vertx.core.json.JsonObject;

/**
 * A private line from one user ({@code user}) to another ({@code to}) in a room, stored for the two
 * of them only. It has no {@code seq}, so the room's numbering stays gapless for everyone else;
 * {@code after} places it in the room's history: it was stored when the room's newest message was
 * number {@code after}, and it sits after that message. {@code key} is the sender's idempotency
 * key, or null.
 */
public record Whisper(
    String id,
    String room,
    long after,
    String user,
    String color,
    String to,
    String toColor,
    String chat,
    String createdAt,
    String key) {

  public static final String TYPE = "whisper";

  public Whisper withAfter(long after) {
    return new Whisper(id, room, after, user, color, to, toColor, chat, createdAt, key);
  }

  /** Whether {@code user} sent or received it: only they may ever read it. */
  public boolean between(String someone) {
    return user.equals(someone) || to.equals(someone);
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("type", TYPE)
            .put("id", id)
            .put("room", room)
            .put("after", after)
            .put("user", user)
            .put("color", color)
            .put("chat", chat)
            .put("createdAt", createdAt)
            .put("to", to)
            .put("toColor", toColor);
    if (key != null) json.put("key", key);
    return json;
  }

  /** Reads {@link #toJson()}, or a stored document (whose id is {@code _id}). */
  public static Whisper fromJson(JsonObject json) {
    return new Whisper(
        json.containsKey("_id") ? json.getString("_id") : json.getString("id"),
        json.getString("room"),
        json.getLong("after", 0L),
        json.getString("user"),
        json.getString("color"),
        json.getString("to"),
        json.getString("toColor"),
        json.getString("chat"),
        json.getString("createdAt"),
        json.getString("key"));
  }
}
