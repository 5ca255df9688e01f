package roombus.store;

import io.vertx.core.Future;
import java.util.List;
import roombus.model.Departure;
import roombus.model.Participant;
import roombus.model.Presence;
import roombus.model.Seat;

/**
 * Who is connected to which room through which node. A user is present while any node holds a
 * connection of theirs; their seat is given up when the last one goes.
 */
public interface PresenceRepository {

  /**
   * A connection of the user on {@code node} joins the room: recorded, seated if need be, marked
   * present. Fails like {@link RoomRepository#reserve}.
   */
  Future<Seat> admit(String roomId, String user, String color, String node);

  /**
   * The user's connections on {@code node} left the room; the user leaves when no node holds one.
   */
  Future<Departure> depart(String roomId, String user, String node, long deleteAfter);

  /** The users present in the room, in order of arrival; {@code NO_SUCH_ROOM}. */
  Future<List<Participant>> participants(String roomId);

  /**
   * Presence held by nodes that are not in {@code liveNodes} (dead, or this node before a restart).
   */
  Future<List<Presence>> heldOutside(List<String> liveNodes);

  /** Forgets a deleted room's presence records. */
  Future<Void> purge(String roomId);
}
