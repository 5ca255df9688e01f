package roombus.model;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * A room: what it is ({@code title}, {@code max} seats, its owner), how many hold a seat in it
 * ({@code count}), and what only the hub itself may see: the password hash and the users the owner
 * removed. {@link #toJson()} is its public shape: no hash, no removed users, only whether it is
 * locked.
 */
public record Room(
    String id,
    String title,
    int max,
    String owner,
    String ownerColor,
    String passwordHash,
    int count,
    String createdAt,
    Set<String> banned) {

  public static final int MIN_MAX = 2;

  /** The most seats a room may have unless the hub's MAX_ROOM_SIZE setting says otherwise. */
  public static final int DEFAULT_MAX_MAX = 100;

  public static final int DEFAULT_MAX = 10;
  public static final int MAX_TITLE = 100;

  public Room {
    banned = banned == null ? Set.of() : Set.copyOf(banned);
  }

  /** A new room, nobody inside yet. */
  public static Room create(
      String id,
      String title,
      int max,
      String owner,
      String ownerColor,
      String passwordHash,
      String createdAt) {
    return new Room(id, title, max, owner, ownerColor, passwordHash, 0, createdAt, Set.of());
  }

  public boolean locked() {
    return passwordHash != null;
  }

  public boolean removed(String user) {
    return banned.contains(user);
  }

  public Room withCount(int count) {
    return new Room(id, title, max, owner, ownerColor, passwordHash, count, createdAt, banned);
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
}
