package roombus.bridge;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.Addresses;
import roombus.common.ApiError;
import roombus.common.ThrottledLog;

/**
 * The rooms one bridge connection is in, and whether it follows the room list. A register on a room
 * is entering it (admission is checked then); an unregister is leaving it; a connection that closes
 * withdraws from all of them, and its user leaves each room after the presence grace (a reload or a
 * lost network comes back within it).
 */
final class ConnectionRooms {

  private static final Logger log = LoggerFactory.getLogger(ConnectionRooms.class);
  private static final ThrottledLog faultLog = ThrottledLog.of(log, 10);

  private final BridgeConnection connection;
  private final BridgeHub hub;

  /** Room access of the connection's session, asked once per room, then trusted. */
  private final RoomAccessChecks accessChecks;

  private final Map<String, RoomRegistration> rooms = new HashMap<>();
  private boolean roomList;

  ConnectionRooms(BridgeConnection connection, BridgeHub hub, RoomAccessChecks accessChecks) {
    this.connection = connection;
    this.hub = hub;
    this.accessChecks = accessChecks;
  }

  /** Whether the connection is in no room (the room list does not count). */
  boolean isEmpty() {
    return rooms.isEmpty();
  }

  /** Whether the connection follows the room list's updates. */
  boolean followsRoomList() {
    return roomList;
  }

  /** Whether the socket is in the room at {@code address} (entered, and not withdrawn). */
  boolean isIn(String address) {
    RoomRegistration registration = rooms.get(address);
    return registration != null && registration.isLive();
  }

  /** A {@code register} frame: the room list, or entering a room as the connection's user. */
  void register(String address, JsonObject frame) {
    if (BridgeRules.isRoomList(address)) {
      if (!roomList) {
        roomList = true;
        hub.fanout().subscribe(address, connection);
      }
      return;
    }
    String roomId = BridgeRules.roomOf(address);
    if (roomId == null || connection.identity() == null) {
      connection.error(address, 403, "access_denied", "You cannot register on this address");
      return;
    }
    if (rooms.containsKey(address)) return; // already in
    RoomRegistration registration =
        new RoomRegistration(
            connection, hub, address, roomId, connection.identity(), sinceOf(frame));
    rooms.put(address, registration);
    registration
        .enter(accessChecks.check(connection.sessionId(), roomId))
        .onFailure(err -> notEntered(registration, err));
  }

  /** An {@code unregister} frame: the room list, or leaving a room on purpose. */
  void unregister(String address) {
    if (address != null
        && !BridgeRules.isRoomList(address)
        && BridgeRules.roomOf(address) == null) {
      connection.error(address, 403, "access_denied", "You cannot unregister from this address");
      return;
    }
    if (BridgeRules.isRoomList(address)) {
      if (roomList) {
        roomList = false;
        hub.fanout().unsubscribe(address, connection);
      }
      return;
    }
    RoomRegistration registration = rooms.remove(address);
    if (registration == null) return;
    registration.withdraw();
    if (registration.joined) hub.rooms().leave(registration.roomId, connection.identity(), true);
  }

  /** The room is gone, or this user was removed from it: the socket is no longer in it. */
  void drop(RoomRegistration registration, boolean leave) {
    rooms.remove(registration.address, registration);
    registration.withdraw();
    accessChecks.forget(registration.roomId);
    if (leave && registration.joined)
      hub.rooms().leave(registration.roomId, connection.identity(), true);
  }

  /**
   * The connection closed: it withdraws from every room. Its user leaves each after the grace,
   * unless the node is going away (the user stays present then: they reconnect to another node).
   */
  void closeAll(boolean goingAway) {
    if (roomList) hub.fanout().unsubscribe(Addresses.ROOM_LIST, connection);
    rooms.forEach(
        (address, registration) -> {
          registration.withdraw();
          if (registration.joined && !goingAway)
            hub.rooms().leave(registration.roomId, connection.identity(), false);
        });
    rooms.clear();
  }

  /**
   * Entering failed: whatever of it was done is undone, and the client is told why, unless it
   * withdrew meanwhile (nobody is waiting for an answer then).
   */
  private void notEntered(RoomRegistration registration, Throwable err) {
    String address = registration.address;
    boolean current = rooms.remove(address, registration);
    registration.withdraw();
    if (registration.joined) hub.rooms().leave(registration.roomId, connection.identity(), true);
    if (connection.isClosed() || !current) return;
    ApiError api = ApiError.from(err);
    if (api == null) {
      faultLog.warn("Entering room {} failed", registration.roomId, err);
      connection.error(address, 500, "internal_error", "Could not enter the room, try again");
    } else {
      connection.error(
          address,
          api.status(),
          api.status() == 404 ? "room_not_found" : BridgeFrames.codeOf(api.status()),
          api.getMessage());
    }
  }

  /** The seq a client says it has seen ({@code since}, in the headers or the body), or -1. */
  private static long sinceOf(JsonObject frame) {
    for (Object holder : new Object[] {frame.getValue("headers"), frame.getValue("body")}) {
      if (holder instanceof JsonObject json && json.getValue("since") != null) {
        try {
          return Long.parseLong(json.getValue("since").toString());
        } catch (NumberFormatException ignored) {
          return -1;
        }
      }
    }
    return -1;
  }
}
