package roombus.room;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.Addresses;
import roombus.HubConfig;
import roombus.chat.ChatMessage;
import roombus.common.ApiError;
import roombus.store.StoreClient;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Rooms and presence on this node. Tracks how many connections each user has in each room here, and
 * asks the store to admit a user when their first connection arrives and to let them go when their
 * last one leaves; announces joins and exits, room creation and removal, and occupancy. Also deletes
 * rooms that stayed empty past their grace period, and cleans up presence left by dead nodes.
 */
public final class RoomsVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(RoomsVerticle.class);

  private final HubConfig config;
  private final String nodeId;
  private final Supplier<List<String>> liveNodes;
  private final Map<String, Integer> localConnections = new HashMap<>();
  /** Join and leave of one user in one room run one after another, never interleaved. */
  private final Map<String, Future<?>> queues = new HashMap<>();
  private StoreClient store;
  private RoomEvents events;

  public RoomsVerticle(HubConfig config, String nodeId, Supplier<List<String>> liveNodes) {
    this.config = config;
    this.nodeId = nodeId;
    this.liveNodes = liveNodes;
  }

  @Override
  public Future<?> start() {
    store = new StoreClient(vertx);
    events = new RoomEvents(vertx);
    var bus = vertx.eventBus();
    var consumers = List.of(
        bus.<JsonObject>localConsumer(Addresses.ROOMS_CREATE, msg -> reply(msg, create(msg.body()))),
        bus.<JsonObject>localConsumer(Addresses.ROOMS_DELETE, msg -> reply(msg, delete(msg.body()))),
        bus.<JsonObject>localConsumer(Addresses.ROOMS_RESERVE, msg -> reply(msg, reserve(msg.body()))),
        bus.<JsonObject>localConsumer(Addresses.ROOMS_JOIN, msg -> reply(msg, join(msg.body()))),
        bus.<JsonObject>localConsumer(Addresses.ROOMS_LEAVE, msg -> reply(msg, leave(msg.body()))),
        bus.<JsonObject>localConsumer(Addresses.ROOMS_HANDOVER, msg -> reply(msg, handOver(msg.body()))),
        bus.<JsonObject>localConsumer(Addresses.ROOMS_KICK, msg -> reply(msg, kick(msg.body()))),
        bus.<JsonObject>localConsumer(Addresses.ROOMS_PURGE, msg -> reply(msg, purgeDeadNodes().map(new JsonObject()))));
    if (vertx.isClustered()) {
      // a member that left is normally reported at once; this catches anything missed
      vertx.setPeriodic(5_000, id -> purgeDeadNodes());
    }
    long sweepEvery = Math.max(100, Math.min(1000, config.roomGrace().toMillis() / 4));
    vertx.setPeriodic(sweepEvery, id -> sweep());
    return Future.all(consumers.stream().map(c -> c.completion()).toList())
        .compose(v -> purgeDeadNodes());
  }

  private Future<JsonObject> create(JsonObject room) {
    long deleteAfter = System.currentTimeMillis() + config.unclaimedRoomGrace().toMillis();
    return store.createRoom(room, deleteAfter).onSuccess(events::newRoom);
  }

  private Future<JsonObject> delete(JsonObject request) {
    String roomId = request.getString("id");
    return store.deleteOwnedRoom(roomId, request.getString("user"))
        .onSuccess(room -> events.removeRoom(roomId));
  }

  /** The owner makes another user in the room its owner. */
  private Future<JsonObject> handOver(JsonObject request) {
    String room = request.getString("room");
    return store.handOver(room, request.getString("owner"), request.getString("user")).compose(updated -> {
      String owner = updated.getString("owner");
      String color = updated.getString("ownerColor");
      events.ownerChanged(room, owner, color);
      return store.append(notice(room, ChatMessage.OWNER, owner, color, color + " is now the owner"))
          .onSuccess(stored -> events.toRoom(room, stored.toJson().put("owner", owner).put("ownerColor", color)))
          .map(updated);
    });
  }

  /** The owner removes a user: banned from the room, their sockets everywhere leave it. */
  private Future<JsonObject> kick(JsonObject request) {
    String room = request.getString("room");
    String user = request.getString("user");
    return store.ban(room, request.getString("owner"), user)
        .compose(updated -> store.participants(room).map(people -> people.stream().map(JsonObject.class::cast)
            .filter(p -> user.equals(p.getString("user"))).map(p -> p.getString("color")).findFirst().orElse(user)))
        .compose(color -> store.append(notice(room, ChatMessage.KICK, user, color, color + " was removed by the owner")))
        .map(stored -> {
          events.kicked(room, stored.toJson(), user);
          return stored.toJson();
        });
  }

  private static ChatMessage notice(String room, String type, String user, String color, String text) {
    return new ChatMessage(ChatMessage.newId(), 0, room, type, user, color, text, null, Instant.now().toString());
  }

  /** Entering over HTTP takes a seat, held for a while for the user's connection to arrive. */
  private Future<JsonObject> reserve(JsonObject request) {
    String room = request.getString("room");
    long holdUntil = System.currentTimeMillis() + config.seatHold().toMillis();
    return store.reserve(room, request.getString("user"), holdUntil).onSuccess(seat -> {
      if ("seated".equals(seat.getString("status"))) events.count(room, seat.getInteger("count"));
    });
  }

  /** A connection of {@code user} on this node enters the room. */
  private Future<JsonObject> join(JsonObject request) {
    Connection c = Connection.of(request);
    String room = c.room(), user = c.user(), color = c.color(), key = c.key();
    return serially(key, () -> {
      int local = localConnections.getOrDefault(key, 0);
      if (local > 0) {
        localConnections.put(key, local + 1);
        return Future.succeededFuture(new JsonObject().put("status", "member"));
      }
      return store.admit(room, user, color, nodeId).compose(admission -> {
        localConnections.put(key, 1);
        int count = admission.getInteger("count");
        if ("seated".equals(admission.getString("status")) && !admission.getBoolean("first")) events.count(room, count);
        if (!admission.getBoolean("first")) return Future.succeededFuture(admission);
        return announce(room, ChatMessage.JOIN, user, color, color + " joined", count).map(admission);
      });
    });
  }

  /** A connection of {@code user} on this node leaves the room (unregistered, closed or dead). */
  private Future<JsonObject> leave(JsonObject request) {
    Connection c = Connection.of(request);
    String key = c.key();
    return serially(key, () -> {
      int local = localConnections.getOrDefault(key, 0);
      if (local > 1) {
        localConnections.put(key, local - 1);
        return Future.succeededFuture(new JsonObject().put("left", false));
      }
      localConnections.remove(key);
      return userLeft(c.room(), c.user(), c.color(), nodeId);
    });
  }

  private Future<JsonObject> userLeft(String room, String user, String color, String node) {
    long deleteAfter = System.currentTimeMillis() + config.roomGrace().toMillis();
    return store.depart(room, user, node, deleteAfter).compose(result -> {
      if (!result.getBoolean("left")) return Future.succeededFuture(result);
      return announce(room, ChatMessage.EXIT, user, color, color + " left", result.getInteger("count")).map(result);
    });
  }

  /** Stores a join or exit notice, then publishes it to the room and the new count to the room list. */
  private Future<Void> announce(String room, String type, String user, String color, String text, int count) {
    events.count(room, count);
    return store.append(notice(room, type, user, color, text))
        .onSuccess(stored -> events.toRoom(room, stored.toJson().put("count", count)))
        .recover(err -> {
          log.debug("Notice for room {} not stored: {}", room, err.getMessage());
          return Future.succeededFuture(null);
        })
        .mapEmpty();
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    // a room left empty because nobody came to use their seat was never really used: keep it longer
    store.releaseUnusedSeats(now, now + config.unclaimedRoomGrace().toMillis())
        .onSuccess(released -> released.forEach(r -> {
          JsonObject seat = (JsonObject) r;
          events.count(seat.getString("room"), seat.getInteger("count"));
        }))
        .onFailure(err -> log.warn("Releasing unused seats failed: {}", err.getMessage()));
    store.sweepEmptyRooms(now)
        .onSuccess(ids -> ids.forEach(id -> {
          log.info("Room {} deleted after staying empty", id);
          events.removeRoom((String) id);
        }))
        .onFailure(err -> log.warn("Sweeping empty rooms failed: {}", err.getMessage()));
  }

  /**
   * Takes out of their rooms the users whose connections were held by nodes that are no longer alive
   * (this node before a restart, or a node of the cluster that died).
   */
  public Future<Void> purgeDeadNodes() {
    List<String> live = liveNodes.get();
    return store.presenceOutside(live).compose(stale -> {
      if (!stale.isEmpty()) log.info("Clearing {} connections held by nodes that are gone", stale.size());
      return Future.join(stale.stream().map(p -> {
        JsonObject entry = (JsonObject) p;
        String room = entry.getString("room");
        String user = entry.getString("user");
        return serially(room + "|" + user, () -> userLeft(room, user, entry.getString("color"), entry.getString("node")))
            .recover(err -> Future.succeededFuture());
      }).toList());
    }).mapEmpty();
  }

  private <T> Future<T> serially(String key, Supplier<Future<T>> work) {
    Future<?> previous = queues.getOrDefault(key, Future.succeededFuture());
    Future<T> next = previous.transform(ignored -> work.get());
    queues.put(key, next);
    next.onComplete(done -> {
      if (queues.get(key) == next) queues.remove(key);
    });
    return next;
  }

  /** A user's connection to a room on this node, as {@link RoomsClient} describes it. */
  private record Connection(String room, String user, String color) {
    static Connection of(JsonObject request) {
      return new Connection(request.getString("room"), request.getString("user"), request.getString("color"));
    }

    /** Joins and leaves of one user in one room are counted, and serialized, under this key. */
    String key() {
      return room + "|" + user;
    }
  }

  private static <T> void reply(Message<?> msg, Future<T> result) {
    result.onSuccess(msg::reply).onFailure(err -> {
      ApiError api = ApiError.from(err);
      if (api != null) msg.fail(api.status(), api.getMessage());
      else msg.fail(500, String.valueOf(err.getMessage()));
    });
  }
}
