package roombus.room;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import roombus.Addresses;
import roombus.bus.LocalServices;
import roombus.identity.Identity;
import roombus.model.ChatMessage;
import roombus.model.Departure;
import roombus.model.Room;
import roombus.model.Seat;

/**
 * Rooms and presence, as the HTTP edge and the bridge use them; implemented by {@link
 * RoomsVerticle}. Fails with {@link roombus.model.Refusal}s.
 */
public interface RoomService {

  /** The service of this node, reached over the event bus. */
  static RoomService of(Vertx vertx) {
    return LocalServices.proxy(vertx, Addresses.ROOMS, RoomService.class);
  }

  /** Creates the room and announces it on the room list. */
  Future<Room> create(Room room);

  /** The owner deletes the room: its history and GIFs go with it. */
  Future<Room> delete(String roomId, String user);

  /** An administrator closes the room, whoever owns it: as {@link #delete}. */
  Future<Room> close(String roomId);

  /** Entering over HTTP takes a seat, held a while for the user's connection to arrive. */
  Future<Seat> enter(String roomId, Identity who);

  /** A connection of the user on this node joins the room. */
  Future<Seat> join(String roomId, Identity who);

  /**
   * A connection of the user on this node leaves the room. When it was their last one here, the
   * user leaves the room: at once when {@code now} (they unregistered, or were removed), else only
   * if no connection of theirs joins again within the presence grace (a closed socket may be a
   * reload, a short network loss or a restart of the hub). Answers before the grace has run: {@code
   * left} is then false.
   */
  Future<Departure> leave(String roomId, Identity who, boolean now);

  /** The owner makes another user in the room its owner. */
  Future<Room> handOver(String roomId, String owner, String newOwner);

  /** The owner removes a user for good; answers the stored notice. */
  Future<ChatMessage> kick(String roomId, String owner, String user);

  /**
   * Takes out of their rooms the users whose connections were held by nodes that are gone (or by
   * this node before a restart), after the presence grace: a user who reconnects within it stays.
   */
  Future<Void> purgeDeadNodes();
}
