package roombus.store;

import static roombus.store.Schema.PRESENCE;
import static roombus.store.Schema.RESERVATIONS;
import static roombus.store.Schema.ROOMS;
import static roombus.store.Schema.byId;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.List;
import roombus.model.Departure;
import roombus.model.Participant;
import roombus.model.Presence;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;
import roombus.model.Seat;

/**
 * {@link PresenceRepository} on MongoDB: one document per (room, user, node) in {@code presence},
 * and the room document's {@code present} list and {@code colors} for what the room shows.
 */
final class MongoPresenceRepository implements PresenceRepository {

  private final MongoClient mongo;
  private final Seats seats;

  MongoPresenceRepository(MongoClient mongo, Seats seats) {
    this.mongo = mongo;
    this.seats = seats;
  }

  @Override
  public Future<Seat> admit(String roomId, String user, String color, String node) {
    String presenceId = presenceId(roomId, user, node);
    JsonObject presence =
        byId(presenceId)
            .put("room", roomId)
            .put("user", user)
            .put("color", color)
            .put("node", node);
    return mongo
        .save(PRESENCE, presence)
        .compose(v -> seats.sitDown(roomId, user, color))
        .compose(seat -> mongo.removeDocument(RESERVATIONS, byId(roomId + "|" + user)).map(seat))
        .recover(
            err ->
                mongo
                    .removeDocument(PRESENCE, byId(presenceId))
                    .transform(ignored -> Future.failedFuture(err)));
  }

  @Override
  public Future<Departure> depart(String roomId, String user, String node, long deleteAfter) {
    return mongo
        .removeDocument(PRESENCE, byId(presenceId(roomId, user, node)))
        .compose(v -> mongo.count(PRESENCE, new JsonObject().put("room", roomId).put("user", user)))
        .compose(
            remaining ->
                remaining > 0
                    ? Future.succeededFuture(Departure.stayed(roomId))
                    : seats.giveUp(roomId, byId(roomId).put("present", user), user, deleteAfter));
  }

  @Override
  public Future<List<Participant>> participants(String roomId) {
    return mongo
        .findOne(ROOMS, byId(roomId), new JsonObject().put("present", 1).put("colors", 1))
        .compose(
            room -> {
              if (room == null) return Future.failedFuture(new Refusal(Reason.NO_SUCH_ROOM));
              JsonObject colors = room.getJsonObject("colors", new JsonObject());
              List<Participant> people = new ArrayList<>();
              for (Object user : room.getJsonArray("present", new JsonArray())) {
                people.add(new Participant((String) user, colors.getString((String) user)));
              }
              return Future.succeededFuture(people);
            });
  }

  @Override
  public Future<List<Presence>> heldOutside(List<String> liveNodes) {
    JsonObject query =
        new JsonObject().put("node", new JsonObject().put("$nin", new JsonArray(liveNodes)));
    return mongo
        .find(PRESENCE, query)
        .map(
            docs ->
                docs.stream()
                    .map(
                        d ->
                            new Presence(
                                d.getString("room"),
                                d.getString("user"),
                                d.getString("color"),
                                d.getString("node")))
                    .toList());
  }

  @Override
  public Future<Void> purge(String roomId) {
    return mongo.removeDocuments(PRESENCE, new JsonObject().put("room", roomId)).mapEmpty();
  }

  private static String presenceId(String roomId, String user, String node) {
    return roomId + "|" + user + "|" + node;
  }
}
