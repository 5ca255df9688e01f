package roombus.busclient;

/**
 * The event-bus addresses a client may use (docs/protocol.md, section 4). The hub keeps its own
 * list ({@code roombus.Addresses}); a test pins that the two agree, since this side is the public
 * contract.
 */
public final class BusAddresses {

  /**
   * Room-list events ({@code newRoom}, {@code removeRoom}, {@code count}): register to follow them.
   */
  public static final String ROOM_LIST = "chat.rooms";

  /** Prefix of a room's address; the room id follows. Register to be in the room, send to post. */
  public static final String ROOM_PREFIX = "chat.room.";

  private BusAddresses() {}

  public static String room(String roomId) {
    return ROOM_PREFIX + roomId;
  }
}
