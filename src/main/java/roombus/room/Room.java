package roombus.room;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A room as the store keeps it. {@link #toJson()} is its public shape: no password hash, only whether
 * it is locked.
 */
public record Room(String id, String title, int max, String owner, String ownerColor, String passwordHash,
                   int count, String createdAt) {

  public static final int MIN_MAX = 2;
  public static final int MAX_MAX = 100;
  public static final int DEFAULT_MAX = 10;
  public static final int MAX_TITLE = 100;

  public boolean locked() {
    return passwordHash != null;
  }

  /** The public view sent to clients. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("title", title)
        .put("max", max)
        .put("owner", owner)
        .put("ownerColor", ownerColor)
        .put("locked", locked())
        .put("count", count)
        .put("createdAt", createdAt);
  }

  /** A new, empty room document; {@code deleteAfter} removes it if nobody ever comes in. */
  public JsonObject toNewDocument(long deleteAfter) {
    return new JsonObject()
        .put("_id", id)
        .put("title", title)
        .put("max", max)
        .put("owner", owner)
        .put("ownerColor", ownerColor)
        .put("passwordHash", passwordHash)
        .put("createdAt", createdAt)
        .put("seq", 0L)
        .put("members", new JsonArray())
        .put("present", new JsonArray())
        .put("banned", new JsonArray())
        .put("count", 0)
        .put("free", max)
        .put("deleteAfter", deleteAfter);
  }

  public static Room fromDocument(JsonObject doc) {
    return new Room(doc.getString("_id"), doc.getString("title"), doc.getInteger("max"),
        doc.getString("owner"), doc.getString("ownerColor"), doc.getString("passwordHash"),
        doc.getInteger("count", 0), doc.getString("createdAt"));
  }
}
