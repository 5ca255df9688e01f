package roombus.store;

import io.vertx.core.Future;
import java.util.List;
import roombus.model.Departure;
import roombus.model.Room;
import roombus.model.Seat;

/**
 * Rooms and their seats. Every decision that must hold across nodes (who gets a seat, who owns the
 * room, which node deletes an empty room) is one atomic single-document update, so it stays right
 * whatever the cluster does. Fails with {@link roombus.model.Refusal}s.
 */
public interface RoomRepository {

  Future<Room> create(Room room, long deleteAfter);

  /** The room; {@code NO_SUCH_ROOM} when there is none. */
  Future<Room> get(String id);

  /** Every room, oldest first. */
  Future<List<Room>> list();

  /** How many rooms there are, without reading them. */
  Future<Long> count();

  /**
   * Deletes the room at its owner's request: {@code NO_SUCH_ROOM}, or {@code NOT_OWNER} for anybody
   * else.
   */
  Future<Room> deleteOwned(String id, String user);

  /** Deletes the room whoever owns it (an administrator closes it); fails {@code NO_SUCH_ROOM}. */
  Future<Room> delete(String id);

  /**
   * Deletes the rooms that stayed empty past their deadline, each exactly once whatever the number
   * of nodes sweeping; answers the ids this call deleted.
   */
  Future<List<String>> sweepEmpty(long now);

  /**
   * Takes a seat for the user, or confirms the one they hold, and keeps it until {@code holdUntil}
   * even if no connection of theirs arrives. Fails {@code NO_SUCH_ROOM}, {@code REMOVED} or {@code
   * ROOM_FULL}.
   */
  Future<Seat> reserve(String roomId, String user, long holdUntil);

  /**
   * Gives back held seats whose users never connected; answers the rooms whose occupancy changed.
   */
  Future<List<Departure>> releaseUnusedSeats(long now, long deleteAfter);

  /** The owner makes another present user the owner: {@code NOT_OWNER}, {@code NO_SUCH_USER}. */
  Future<Room> handOver(String roomId, String owner, String newOwner);

  /** The owner removes a user for good: {@code NOT_OWNER}, {@code INVALID} for themselves. */
  Future<Room> ban(String roomId, String owner, String user);
}
