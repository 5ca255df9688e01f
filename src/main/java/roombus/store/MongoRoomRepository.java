package roombus.store;

import static roombus.store.Schema.RESERVATIONS;
import static roombus.store.Schema.ROOMS;
import static roombus.store.Schema.byId;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import roombus.model.Departure;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;
import roombus.model.Room;
import roombus.model.Seat;

/** {@link RoomRepository} on MongoDB: one document per room, seats inside it ({@link Seats}). */
final class MongoRoomRepository implements RoomRepository {

  private static final JsonObject PUBLIC_FIELDS =
      new JsonObject().put("members", 0).put("present", 0).put("colors", 0);

  private final MongoClient mongo;
  private final Seats seats;

  MongoRoomRepository(MongoClient mongo, Seats seats) {
    this.mongo = mongo;
    this.seats = seats;
  }

  @Override
  public Future<Room> create(Room room, long deleteAfter) {
    JsonObject doc =
        byId(room.id())
            .put("title", room.title())
            .put("max", room.max())
            .put("owner", room.owner())
            .put("ownerColor", room.ownerColor())
            .put("passwordHash", room.passwordHash())
            .put("createdAt", room.createdAt())
            .put("members", new JsonArray())
            .put("present", new JsonArray())
            .put("banned", new JsonArray())
            .put("colors", new JsonObject())
            .put("count", 0)
            .put("free", room.max())
            .put("deleteAfter", deleteAfter);
    return mongo.insert(ROOMS, doc).map(room);
  }

  @Override
  public Future<Room> get(String id) {
    return mongo.findOne(ROOMS, byId(id), PUBLIC_FIELDS).compose(MongoRoomRepository::existing);
  }

  @Override
  public Future<List<Room>> list() {
    FindOptions options =
        new FindOptions().setSort(new JsonObject().put("createdAt", 1)).setFields(PUBLIC_FIELDS);
    return mongo
        .findWithOptions(ROOMS, new JsonObject(), options)
        .map(docs -> docs.stream().map(MongoRoomRepository::room).toList());
  }

  @Override
  public Future<Long> count() {
    return mongo.count(ROOMS, new JsonObject());
  }

  @Override
  public Future<Room> deleteOwned(String id, String user) {
    return get(id)
        .compose(
            room ->
                room.owner().equals(user)
                    ? mongo.findOneAndDelete(ROOMS, byId(id).put("owner", user))
                    : Future.failedFuture(new Refusal(Reason.NOT_OWNER)))
        .compose(MongoRoomRepository::existing)
        .compose(
            room ->
                mongo.removeDocuments(RESERVATIONS, new JsonObject().put("room", id)).map(room));
  }

  @Override
  public Future<Room> delete(String id) {
    return mongo
        .findOneAndDelete(ROOMS, byId(id))
        .compose(MongoRoomRepository::existing)
        .compose(
            room ->
                mongo.removeDocuments(RESERVATIONS, new JsonObject().put("room", id)).map(room));
  }

  @Override
  public Future<List<String>> sweepEmpty(long now) {
    JsonObject due =
        new JsonObject().put("count", 0).put("deleteAfter", new JsonObject().put("$lte", now));
    FindOptions options =
        new FindOptions().setFields(new JsonObject().put("deleteAfter", 1)).setLimit(100);
    return mongo
        .findWithOptions(ROOMS, due, options)
        .compose(docs -> Future.all(docs.stream().map(this::deleteIfStillEmpty).toList()))
        .map(all -> all.<String>list().stream().filter(Objects::nonNull).toList());
  }

  /** Deletes the room if it is still empty with the same deadline: on many nodes, exactly once. */
  private Future<String> deleteIfStillEmpty(JsonObject due) {
    String id = due.getString("_id");
    JsonObject unchanged = byId(id).put("count", 0).put("deleteAfter", due.getValue("deleteAfter"));
    return mongo
        .removeDocument(ROOMS, unchanged)
        .compose(
            res ->
                res != null && res.getRemovedCount() == 1
                    ? mongo.removeDocuments(RESERVATIONS, new JsonObject().put("room", id)).map(id)
                    : Future.succeededFuture((String) null));
  }

  @Override
  public Future<Seat> reserve(String roomId, String user, long holdUntil) {
    JsonObject reservation =
        byId(roomId + "|" + user).put("room", roomId).put("user", user).put("expires", holdUntil);
    return seats
        .take(roomId, user)
        .compose(seat -> mongo.save(RESERVATIONS, reservation).map(seat));
  }

  @Override
  public Future<List<Departure>> releaseUnusedSeats(long now, long deleteAfter) {
    JsonObject due = new JsonObject().put("expires", new JsonObject().put("$lte", now));
    return mongo
        .findWithOptions(RESERVATIONS, due, new FindOptions().setLimit(500))
        .compose(expired -> Future.all(expired.stream().map(r -> release(r, deleteAfter)).toList()))
        .map(all -> all.<Departure>list().stream().filter(Departure::left).toList());
  }

  /** Gives the held seat back unless its user connected meanwhile (then they are present). */
  private Future<Departure> release(JsonObject reservation, long deleteAfter) {
    String roomId = reservation.getString("room");
    String user = reservation.getString("user");
    JsonObject unchanged =
        byId(reservation.getString("_id")).put("expires", reservation.getValue("expires"));
    JsonObject notPresent = byId(roomId).put("present", new JsonObject().put("$ne", user));
    return mongo
        .removeDocument(RESERVATIONS, unchanged)
        .compose(
            removed ->
                removed == null || removed.getRemovedCount() == 0
                    ? Future.succeededFuture(Departure.stayed(roomId))
                    : seats.giveUp(roomId, notPresent, user, deleteAfter));
  }

  @Override
  public Future<Room> handOver(String roomId, String owner, String newOwner) {
    return mongo
        .findOne(
            ROOMS,
            byId(roomId),
            new JsonObject().put("owner", 1).put("present", 1).put("colors", 1))
        .compose(
            doc -> {
              if (doc == null) return Future.failedFuture(new Refusal(Reason.NO_SUCH_ROOM));
              if (!owner.equals(doc.getString("owner"))) {
                return Future.failedFuture(new Refusal(Reason.NOT_OWNER));
              }
              String color = doc.getJsonObject("colors", new JsonObject()).getString(newOwner);
              if (!doc.getJsonArray("present", new JsonArray()).contains(newOwner)
                  || color == null) {
                return Future.failedFuture(new Refusal(Reason.NO_SUCH_USER));
              }
              JsonObject set =
                  new JsonObject()
                      .put(
                          "$set", new JsonObject().put("owner", newOwner).put("ownerColor", color));
              return updateOwned(roomId, owner, set);
            });
  }

  @Override
  public Future<Room> ban(String roomId, String owner, String user) {
    if (owner.equals(user)) {
      return Future.failedFuture(Refusal.invalid("You cannot remove yourself; leave instead"));
    }
    return get(roomId)
        .compose(
            room ->
                room.owner().equals(owner)
                    ? updateOwned(
                        roomId,
                        owner,
                        new JsonObject().put("$addToSet", new JsonObject().put("banned", user)))
                    : Future.failedFuture(new Refusal(Reason.NOT_OWNER)));
  }

  /** Applies an owner's change, if they still own the room. */
  private Future<Room> updateOwned(String roomId, String owner, JsonObject update) {
    return mongo
        .findOneAndUpdateWithOptions(
            ROOMS,
            byId(roomId).put("owner", owner),
            update,
            new FindOptions().setFields(PUBLIC_FIELDS),
            new UpdateOptions().setReturningNewDocument(true))
        .compose(
            doc ->
                doc != null
                    ? Future.succeededFuture(room(doc))
                    : Future.failedFuture(new Refusal(Reason.NOT_OWNER)));
  }

  private static Future<Room> existing(JsonObject doc) {
    return doc == null
        ? Future.failedFuture(new Refusal(Reason.NO_SUCH_ROOM))
        : Future.succeededFuture(room(doc));
  }

  static Room room(JsonObject doc) {
    return new Room(
        doc.getString("_id"),
        doc.getString("title"),
        doc.getInteger("max"),
        doc.getString("owner"),
        doc.getString("ownerColor"),
        doc.getString("passwordHash"),
        doc.getInteger("count", 0),
        doc.getString("createdAt"),
        new HashSet<>(
            doc.getJsonArray("banned", new JsonArray()).stream().map(String::valueOf).toList()));
  }
}
