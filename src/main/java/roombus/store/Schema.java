package roombus.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;

/** The collections of the hub's database and their indexes; docs/storage.md describes each. */
final class Schema {

  static final String ROOMS = "rooms";
  static final String CHATS = "chats";
  static final String WHISPERS = "whispers";

  /**
   * The unique, sparse index of {@link #CHATS} and {@link #WHISPERS} on {@code once} ({@code
   * room|user|key}, only on messages posted with an idempotency key): one message per author and
   * key. A single field, because a sparse compound index would still index the many messages
   * without a key.
   */
  static final String ONCE = "once";

  static final String PRESENCE = "presence";
  static final String RESERVATIONS = "reservations";
  static final String SESSIONS = "sessions";
  static final String GIF_BUCKET = "gifs";

  private Schema() {}

  static Future<Void> ensureIndexes(MongoClient mongo) {
    return Future.all(
            List.of(
                // no number twice in a room; history pages and catch-up are range scans of it
                mongo.createIndexWithOptions(
                    CHATS,
                    new JsonObject().put("room", 1).put("seq", 1),
                    new IndexOptions().unique(true).name("room_seq")),
                mongo.createIndexWithOptions(
                    CHATS,
                    new JsonObject().put(ONCE, 1),
                    new IndexOptions().unique(true).sparse(true).name(ONCE)),
                // a user's whispers in a room, in the order of the messages they follow
                mongo.createIndexWithOptions(
                    WHISPERS,
                    new JsonObject().put("room", 1).put("parties", 1).put("after", 1),
                    new IndexOptions().name("room_party_after")),
                mongo.createIndexWithOptions(
                    WHISPERS,
                    new JsonObject().put(ONCE, 1),
                    new IndexOptions().unique(true).sparse(true).name(ONCE)),
                mongo.createIndexWithOptions(
                    ROOMS,
                    new JsonObject().put("count", 1).put("deleteAfter", 1),
                    new IndexOptions().name("empty_rooms")),
                mongo.createIndexWithOptions(
                    PRESENCE,
                    new JsonObject().put("room", 1).put("user", 1),
                    new IndexOptions().name("room_user")),
                mongo.createIndexWithOptions(
                    PRESENCE, new JsonObject().put("node", 1), new IndexOptions().name("node")),
                mongo.createIndexWithOptions(
                    RESERVATIONS,
                    new JsonObject().put("expires", 1),
                    new IndexOptions().name("expires")),
                mongo.createIndexWithOptions(
                    SESSIONS,
                    new JsonObject().put("expires", 1),
                    new IndexOptions().name("expires"))))
        .mapEmpty();
  }

  static JsonObject byId(String id) {
    return new JsonObject().put("_id", id);
  }
}
