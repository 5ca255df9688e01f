package roombus;

/**
 * Every event-bus address of the hub, in one place. The first block is public: the bridge lets
 * clients reach exactly these (see {@code roombus.bridge.BridgeRules}). Everything else is internal
 * and never reachable from a client.
 */
public final class Addresses {

  // ---- public, bridged to clients ----------------------------------------------------------
  /** Room-list events: {@code newRoom}, {@code removeRoom}, {@code count}. Clients may register. */
  public static final String ROOM_LIST = "chat.rooms";
  /** Prefix of a room's address; the room id follows. Clients register to be in the room, send to post. */
  public static final String ROOM_PREFIX = "chat.room.";

  // ---- internal: rooms and presence (RoomsVerticle) -----------------------------------------
  public static final String ROOMS_CREATE = "rooms.create";
  public static final String ROOMS_DELETE = "rooms.delete";
  public static final String ROOMS_RESERVE = "rooms.reserve";
  public static final String ROOMS_JOIN = "rooms.join";
  public static final String ROOMS_LEAVE = "rooms.leave";
  public static final String ROOMS_HANDOVER = "rooms.handover";
  public static final String ROOMS_KICK = "rooms.kick";
  /** Sent when a cluster member left: take its users out of their rooms. */
  public static final String ROOMS_PURGE = "rooms.purge";

  // ---- internal: persistence (StoreVerticle) ------------------------------------------------
  public static final String STORE_ROOMS_CREATE = "store.rooms.create";
  public static final String STORE_ROOMS_GET = "store.rooms.get";
  public static final String STORE_ROOMS_LIST = "store.rooms.list";
  public static final String STORE_ROOMS_DELETE = "store.rooms.delete";
  public static final String STORE_ROOMS_HANDOVER = "store.rooms.handover";
  public static final String STORE_ROOMS_BAN = "store.rooms.ban";
  /** Published to every node's store verticle (clustered) when the owner removed a user from a room. */
  public static final String STORE_ROOMS_REMOVED = "store.rooms.removed";
  public static final String STORE_ROOMS_RESERVE = "store.rooms.reserve";
  public static final String STORE_SEATS_RELEASE = "store.seats.release";
  public static final String STORE_ROOMS_ADMIT = "store.rooms.admit";
  public static final String STORE_ROOMS_DEPART = "store.rooms.depart";
  public static final String STORE_ROOMS_SWEEP = "store.rooms.sweep";
  public static final String STORE_ROOMS_PARTICIPANTS = "store.rooms.participants";
  public static final String STORE_PRESENCE_PURGE = "store.presence.purge";
  public static final String STORE_SESSIONS_GET = "store.sessions.get";
  public static final String STORE_SESSIONS_PUT = "store.sessions.put";
  public static final String STORE_SESSIONS_DELETE = "store.sessions.delete";
  public static final String STORE_SESSIONS_COUNT = "store.sessions.count";
  public static final String STORE_SESSIONS_CLEAR = "store.sessions.clear";
  public static final String STORE_CHATS_APPEND = "store.chats.append";
  /**
   * Prefix of each node's clustered append address ({@link #numbering(String)}): the node that numbers a
   * room's messages stores the appends that other nodes pass on (see store/NumberingNodes).
   */
  public static final String STORE_CHATS_NUMBERED_BY = "store.chats.append@";
  public static final String STORE_CHATS_PAGE = "store.chats.page";
  public static final String STORE_GIFS_PUT = "store.gifs.put";
  public static final String STORE_GIFS_GET = "store.gifs.get";

  private Addresses() {
  }

  /** Where a node takes the appends of the rooms it numbers. */
  public static String numbering(String nodeId) {
    return STORE_CHATS_NUMBERED_BY + nodeId;
  }

  public static String room(String roomId) {
    return ROOM_PREFIX + roomId;
  }

  /** The room id of a room address, or {@code null} when the address is not a room's. */
  public static String roomIdOf(String address) {
    if (address == null || !address.startsWith(ROOM_PREFIX)) return null;
    String id = address.substring(ROOM_PREFIX.length());
    return id.isEmpty() ? null : id;
  }
}
