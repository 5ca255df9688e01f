package roombus.room;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.Addresses;
import roombus.HubConfig;
import roombus.bus.LocalServices;
import roombus.identity.Identity;
import roombus.metrics.HubMetrics;
import roombus.model.ChatMessage;
import roombus.model.Departure;
import roombus.model.Participant;
import roombus.model.Presence;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;
import roombus.model.Room;
import roombus.model.Seat;
import roombus.store.Stores;

/**
 * Rooms and presence on this node ({@link RoomService}). Counts how many connections each user has
 * in each room here, asks the store to admit a user when their first connection arrives and to let
 * them go when their last one leaves; announces joins and exits, room creation and removal, and
 * occupancy. Also cleans up presence left by dead nodes; {@link RoomSweeper} deletes rooms that
 * stayed empty past their grace period.
 *
 * <p>A user whose last connection closed keeps their place for the presence grace ({@code
 * PRESENCE_GRACE_MS}): a reload, a short network loss or a restart of the hub is not leaving and
 * coming back, so it announces nothing. Presence left by a node that is gone (this node before a
 * restart too) is cleared after the same grace.
 */
public final class RoomsVerticle extends VerticleBase implements RoomService {

  private static final Logger log = LoggerFactory.getLogger(RoomsVerticle.class);

  /** User ids are 16 hex digits (see Identity); anything else names nobody. */
  private static final Pattern USER_ID = Pattern.compile("[0-9a-f]{16}");

  private final HubConfig config;
  private final String nodeId;
  private final Supplier<List<String>> liveNodes;
  private final Map<String, Integer> localConnections = new HashMap<>();

  /**
   * Users whose last connection here closed, by key: the timer that lets them go after the grace.
   */
  private final Map<String, Long> departing = new HashMap<>();

  /** Presence records of dead nodes ({@code room|user|node}) whose clearing is scheduled. */
  private final Set<String> clearing = new HashSet<>();

  /** Join and leave of one user in one room run one after another, never interleaved. */
  private final Map<String, Future<?>> queues = new HashMap<>();

  private RoomSweeper sweeper;
  private Stores store;
  private RoomEvents events;
  private HubMetrics metrics;

  public RoomsVerticle(HubConfig config, String nodeId, Supplier<List<String>> liveNodes) {
    this.config = config;
    this.nodeId = nodeId;
    this.liveNodes = liveNodes;
  }

  @Override
  public Future<?> start() {
    store = Stores.of(vertx);
    events = new RoomEvents(vertx);
    metrics = HubMetrics.of(vertx);
    vertx.setPeriodic(5_000, id -> countRooms());
    countRooms();
    if (vertx.isClustered()) {
      // a member that left is normally reported at once; this catches anything missed
      vertx.setPeriodic(5_000, id -> purgeDeadNodes());
    }
    sweeper = new RoomSweeper(config, store, events);
    vertx.setPeriodic(sweeper.everyMs, id -> sweeper.sweep());
    return LocalServices.expose(vertx, Addresses.ROOMS, RoomService.class, this)
        .compose(c -> purgeDeadNodes());
  }

  @Override
  public Future<Room> create(Room room) {
    long deleteAfter = System.currentTimeMillis() + config.unclaimedRoomGrace().toMillis();
    sweeper.dueAt(deleteAfter);
    return store
        .rooms()
        .create(room, deleteAfter)
        .onSuccess(
            created -> {
              log.info(
                  "event=room_created room={} owner={} max={} locked={}",
                  created.id(),
                  created.owner(),
                  created.max(),
                  created.locked());
              events.newRoom(created);
            });
  }

  @Override
  public Future<Room> delete(String roomId, String user) {
    return store
        .rooms()
        .deleteOwned(roomId, user)
        .onSuccess(
            room -> {
              log.info("event=room_deleted room={} by=owner user={}", roomId, user);
              events.removeRoom(roomId);
            })
        .compose(room -> sweeper.purge(roomId).map(room));
  }

  @Override
  public Future<Room> close(String roomId) {
    return store
        .rooms()
        .delete(roomId)
        .onSuccess(
            room -> {
              log.warn("event=room_deleted room={} by=admin", roomId);
              events.removeRoom(roomId);
            })
        .compose(room -> sweeper.purge(roomId).map(room));
  }

  @Override
  public Future<Room> handOver(String roomId, String owner, String newOwner) {
    return store
        .rooms()
        .handOver(roomId, owner, newOwner)
        .compose(
            updated -> {
              events.ownerChanged(roomId, updated.owner(), updated.ownerColor());
              String color = updated.ownerColor();
              return store
                  .chats()
                  .append(
                      notice(
                          roomId,
                          ChatMessage.OWNER,
                          updated.owner(),
                          color,
                          color + " is now the owner"))
                  .onSuccess(stored -> events.ownerNotice(stored, updated))
                  .map(updated);
            });
  }

  @Override
  public Future<ChatMessage> kick(String roomId, String owner, String user) {
    if (user == null || !USER_ID.matcher(user).matches())
      return Future.failedFuture(new Refusal(Reason.NO_SUCH_USER));
    return store
        .rooms()
        .ban(roomId, owner, user)
        .compose(
            updated -> {
              Stores.announceRemoval(vertx, roomId, user);
              return store.presence().participants(roomId);
            })
        .map(
            people ->
                people.stream()
                    .filter(p -> user.equals(p.user()))
                    .map(Participant::color)
                    .findFirst()
                    .orElse(user))
        .compose(
            color ->
                store
                    .chats()
                    .append(
                        notice(
                            roomId,
                            ChatMessage.KICK,
                            user,
                            color,
                            color + " was removed by the owner")))
        .onSuccess(stored -> events.kicked(stored, user));
  }

  private static ChatMessage notice(
      String room, String type, String user, String color, String text) {
    return new ChatMessage(
        ChatMessage.newId(), 0, room, type, user, color, text, null, Instant.now().toString());
  }

  @Override
  public Future<Seat> enter(String roomId, Identity who) {
    long holdUntil = System.currentTimeMillis() + config.seatHold().toMillis();
    sweeper.dueAt(holdUntil);
    return store
        .rooms()
        .reserve(roomId, who.user(), holdUntil)
        .onSuccess(
            seat -> {
              if (seat.newlySeated()) events.count(roomId, seat.count());
            });
  }

  @Override
  public Future<Seat> join(String roomId, Identity who) {
    String key = key(roomId, who);
    return serially(
        key,
        () -> {
          Long pending = departing.remove(key);
          if (pending != null) vertx.cancelTimer(pending); // back within the grace: never left
          int local = localConnections.getOrDefault(key, 0);
          if (local > 0) {
            localConnections.put(key, local + 1);
            metrics.usersPresent(localConnections.size());
            return Future.succeededFuture(new Seat(false, false, 0));
          }
          return store
              .presence()
              .admit(roomId, who.user(), who.color(), nodeId)
              .compose(
                  seat -> {
                    localConnections.put(key, 1);
                    metrics.usersPresent(localConnections.size());
                    if (!seat.firstConnection()) {
                      if (seat.newlySeated()) events.count(roomId, seat.count());
                      return Future.succeededFuture(seat);
                    }
                    return announce(roomId, ChatMessage.JOIN, who, " joined", seat.count())
                        .map(seat);
                  });
        });
  }

  @Override
  public Future<Departure> leave(String roomId, Identity who, boolean now) {
    String key = key(roomId, who);
    return serially(
        key,
        () -> {
          int local = localConnections.getOrDefault(key, 0);
          if (local > 1) {
            localConnections.put(key, local - 1);
            return Future.succeededFuture(Departure.stayed(roomId));
          }
          localConnections.remove(key);
          metrics.usersPresent(localConnections.size());
          long grace = config.presenceGrace().toMillis();
          if (now || grace == 0) return userLeft(roomId, who, nodeId);
          departing.put(
              key,
              vertx.setTimer(
                  grace,
                  id ->
                      serially(
                          key,
                          () -> {
                            if (!departing.remove(key, id))
                              return Future.succeededFuture(); // joined again meanwhile
                            return userLeft(roomId, who, nodeId);
                          })));
          return Future.succeededFuture(Departure.stayed(roomId));
        });
  }

  private Future<Departure> userLeft(String roomId, Identity who, String node) {
    long deleteAfter = System.currentTimeMillis() + config.roomGrace().toMillis();
    sweeper.dueAt(deleteAfter);
    return store
        .presence()
        .depart(roomId, who.user(), node, deleteAfter)
        .compose(
            departure ->
                departure.left()
                    ? announce(roomId, ChatMessage.EXIT, who, " left", departure.count())
                        .map(departure)
                    : Future.succeededFuture(departure));
  }

  /**
   * Stores a join or exit notice, then publishes it to the room and the new count to the room list.
   */
  private Future<Void> announce(String roomId, String type, Identity who, String text, int count) {
    events.count(roomId, count);
    return store
        .chats()
        .append(notice(roomId, type, who.user(), who.color(), who.color() + text))
        .onSuccess(stored -> events.presenceNotice(stored, count))
        .<Void>mapEmpty()
        .recover(
            err -> {
              log.debug("Notice for room {} not stored: {}", roomId, err.getMessage());
              return Future.succeededFuture();
            });
  }

  /**
   * The rooms gauge of the metrics: how many rooms the store holds (counted, not read: with 2,000
   * rooms, reading them all every 5 s was most of an idle node's work).
   */
  private void countRooms() {
    store.rooms().count().onSuccess(metrics::rooms);
  }

  @Override
  public Future<Void> purgeDeadNodes() {
    return store
        .presence()
        .heldOutside(liveNodes.get())
        .onSuccess(
            stale -> {
              List<Presence> fresh =
                  stale.stream()
                      .filter(p -> clearing.add(p.room() + "|" + p.user() + "|" + p.node()))
                      .toList();
              if (fresh.isEmpty()) return;
              long grace = config.presenceGrace().toMillis();
              log.info(
                  "event=presence_cleared connections={} reason=node_gone grace_ms={}",
                  fresh.size(),
                  grace);
              vertx.setTimer(Math.max(1, grace), id -> fresh.forEach(this::clearDead));
            })
        .mapEmpty();
  }

  /** A dead node's connection of a user: gone; the user leaves unless they have another one. */
  private void clearDead(Presence p) {
    serially(
            p.room() + "|" + p.user(),
            () -> userLeft(p.room(), new Identity(p.user(), p.color()), p.node()))
        .onComplete(done -> clearing.remove(p.room() + "|" + p.user() + "|" + p.node()));
  }

  private <T> Future<T> serially(String key, Supplier<Future<T>> work) {
    Future<?> previous = queues.getOrDefault(key, Future.succeededFuture());
    Future<T> next = previous.transform(ignored -> work.get());
    queues.put(key, next);
    next.onComplete(
        done -> {
          if (queues.get(key) == next) queues.remove(key);
        });
    return next;
  }

  /** Joins and leaves of one user in one room are counted, and serialized, under this key. */
  private static String key(String roomId, Identity who) {
    return roomId + "|" + who.user();
  }
}
