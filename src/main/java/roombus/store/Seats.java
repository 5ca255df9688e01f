package roombus.store;

import static roombus.store.Schema.ROOMS;
import static roombus.store.Schema.byId;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import roombus.model.Departure;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;
import roombus.model.Seat;

/**
 * The seats of a room document: {@code members} (users holding a seat; {@code count} and {@code
 * free} follow them) and {@code present} (members with a live connection). Each step is one atomic
 * update of the room document, so admission stays exact with any number of nodes racing, and a
 * split cluster cannot let more people in than the room holds.
 */
final class Seats {

  private static final FindOptions ALL = new FindOptions();
  private static final UpdateOptions RETURN_NEW = new UpdateOptions().setReturningNewDocument(true);
  private static final FindOptions PRESENT =
      new FindOptions().setFields(new JsonObject().put("present", 1));
  private static final FindOptions PRESENT_AND_COUNT =
      new FindOptions().setFields(new JsonObject().put("present", 1).put("count", 1));

  private final MongoClient mongo;

  Seats(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** Takes a seat for the user, or confirms the one they hold. */
  Future<Seat> take(String roomId, String user) {
    return mongo
        .findOneAndUpdateWithOptions(
            ROOMS,
            holding(roomId, user),
            new JsonObject().put("$set", new JsonObject().putNull("deleteAfter")),
            ALL,
            RETURN_NEW)
        .compose(
            held ->
                held != null
                    ? Future.succeededFuture(new Seat(false, false, count(held)))
                    : seat(roomId, user));
  }

  /** Gives a user who holds no seat one, if the room has one free. */
  private Future<Seat> seat(String roomId, String user) {
    JsonObject hasRoom =
        byId(roomId)
            .put("members", new JsonObject().put("$ne", user))
            .put("banned", new JsonObject().put("$ne", user))
            .put("free", new JsonObject().put("$gt", 0));
    JsonObject sit =
        new JsonObject()
            .put("$push", new JsonObject().put("members", user))
            .put("$inc", new JsonObject().put("count", 1).put("free", -1))
            .put("$set", new JsonObject().putNull("deleteAfter"));
    return mongo
        .findOneAndUpdateWithOptions(ROOMS, hasRoom, sit, ALL, RETURN_NEW)
        .compose(
            seated ->
                seated != null
                    ? Future.succeededFuture(new Seat(true, false, count(seated)))
                    : whyRefused(roomId, user));
  }

  /** The room, if the user holds a seat in it and was not removed. */
  private static JsonObject holding(String roomId, String user) {
    return byId(roomId).put("members", user).put("banned", new JsonObject().put("$ne", user));
  }

  /**
   * Takes or confirms the user's seat and marks them present; {@code firstConnection} when they
   * were not present before. A user who holds a seat already (taken when they entered over HTTP:
   * the usual case) costs one update; anyone else is given a seat first, if there is one free.
   */
  Future<Seat> sitDown(String roomId, String user, String color) {
    return mongo
        .findOneAndUpdateWithOptions(
            ROOMS,
            holding(roomId, user),
            presentWith(user, color, new JsonObject().putNull("deleteAfter")),
            PRESENT_AND_COUNT,
            new UpdateOptions())
        .compose(
            before ->
                before != null
                    ? Future.succeededFuture(
                        new Seat(false, firstConnection(before, user), count(before)))
                    : seat(roomId, user)
                        .compose(seated -> markPresent(roomId, user, color, seated)));
  }

  /** Marks a seated user present; {@code firstConnection} when they were not present before. */
  private Future<Seat> markPresent(String roomId, String user, String color, Seat seat) {
    return mongo
        .findOneAndUpdateWithOptions(
            ROOMS,
            byId(roomId).put("members", user),
            presentWith(user, color, new JsonObject()),
            PRESENT,
            new UpdateOptions())
        .compose(
            before -> {
              if (before == null) return whyRefused(roomId, user); // removed or deleted meanwhile
              return Future.succeededFuture(
                  new Seat(seat.newlySeated(), firstConnection(before, user), seat.count()));
            });
  }

  /** The update that marks a user present with their colour, and sets {@code set} besides. */
  private static JsonObject presentWith(String user, String color, JsonObject set) {
    return new JsonObject()
        .put("$addToSet", new JsonObject().put("present", user))
        .put("$set", set.put("colors." + user, color));
  }

  /** Whether the room document as it was before an update had the user present. */
  private static boolean firstConnection(JsonObject before, String user) {
    return !before.getJsonArray("present", new JsonArray()).contains(user);
  }

  /**
   * Frees the user's seat if the room also matches {@code filter}; an empty room gets its deadline.
   */
  Future<Departure> giveUp(String roomId, JsonObject filter, String user, long deleteAfter) {
    JsonObject leave =
        new JsonObject()
            .put("$pull", new JsonObject().put("members", user).put("present", user))
            .put("$unset", new JsonObject().put("colors." + user, ""))
            .put("$inc", new JsonObject().put("count", -1).put("free", 1));
    return mongo
        .findOneAndUpdateWithOptions(ROOMS, filter.put("members", user), leave, ALL, RETURN_NEW)
        .compose(
            doc -> {
              if (doc == null) return Future.succeededFuture(Departure.stayed(roomId));
              Departure left = new Departure(roomId, true, count(doc));
              if (left.count() > 0) return Future.succeededFuture(left);
              return mongo
                  .updateCollection(
                      ROOMS,
                      byId(roomId).put("count", 0),
                      new JsonObject()
                          .put("$set", new JsonObject().put("deleteAfter", deleteAfter)))
                  .map(left);
            });
  }

  private Future<Seat> whyRefused(String roomId, String user) {
    return mongo
        .findOne(ROOMS, byId(roomId), new JsonObject().put("members", 1).put("banned", 1))
        .compose(
            doc -> {
              if (doc == null) return Future.failedFuture(new Refusal(Reason.NO_SUCH_ROOM));
              if (doc.getJsonArray("banned", new JsonArray()).contains(user)) {
                return Future.failedFuture(new Refusal(Reason.REMOVED));
              }
              if (doc.getJsonArray("members", new JsonArray()).contains(user)) {
                return take(roomId, user); // raced with the user's other tab
              }
              return Future.failedFuture(new Refusal(Reason.ROOM_FULL));
            });
  }

  private static int count(JsonObject room) {
    return room.getInteger("count", 0);
  }
}
