package roombus;

/**
 * Every event-bus address of the hub, in one place. The first block is public: the bridge lets
 * clients reach exactly these (see {@code roombus.bridge.BridgeRules}). Everything else is internal
 * and never reachable from a client.
 */
public final class Addresses {

  // ---- public, bridged to clients ----------------------------------------------------------
  /**
   * Room-list events: {@code newRoom}, {@code removeRoom}, {@code count}, {@code owner}. Clients
   * may register.
   */
  public static final String ROOM_LIST = "chat.rooms";

  /**
   * Prefix of a room's address; the room id follows. Clients register to be in the room, send to
   * post.
   */
  public static final String ROOM_PREFIX = "chat.room.";

  // ---- internal, node-local typed services (roombus.bus.LocalServices) ----------------------
  /** {@code roombus.room.RoomService}: rooms and presence of this node (RoomsVerticle). */
  public static final String ROOMS = "rooms";

  /** {@code roombus.store.RoomRepository} (StoreVerticle). */
  public static final String STORE_ROOMS = "store.rooms";

  /** {@code roombus.store.PresenceRepository} (StoreVerticle). */
  public static final String STORE_PRESENCE = "store.presence";

  /** {@code roombus.store.ChatLog} (StoreVerticle). */
  public static final String STORE_CHATS = "store.chats";

  /** {@code roombus.store.SessionRepository} (StoreVerticle). */
  public static final String STORE_SESSIONS = "store.sessions";

  /** {@code roombus.store.GifRepository} (StoreVerticle). */
  public static final String STORE_GIFS = "store.gifs";

  /** {@code roombus.store.StoreControl}: ping and drain (StoreVerticle). */
  public static final String STORE_CONTROL = "store.control";

  // ---- internal, clustered (JSON) -----------------------------------------------------------
  /** Published to every node's store verticle when the owner removed a user from a room. */
  public static final String STORE_REMOVALS = "store.chats.removed";

  /**
   * Prefix of each node's append address ({@link #numbering(String)}): the node that numbers a
   * room's messages stores the appends other nodes pass on (see store/NumberingNodes).
   */
  public static final String STORE_CHATS_NUMBERED_BY = "store.chats.append@";

  /** {@code roombus.admin.AdminService}: the admin view's figures and actions (AdminNode). */
  public static final String ADMIN = "admin";

  /**
   * Published to every node: close the connections of a user (body {@code {"user": id}}), from the
   * admin view.
   */
  public static final String ADMIN_DISCONNECT = "admin.disconnect";

  /**
   * Prefix of each node's admin address ({@link #adminNode(String)}): it answers the node's live
   * figures.
   */
  public static final String ADMIN_NODE = "admin.node@";

  private Addresses() {}

  /** Where a node answers the admin view's questions about itself. */
  public static String adminNode(String nodeId) {
    return ADMIN_NODE + nodeId;
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
