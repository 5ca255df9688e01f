package roombus.bridge;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.sstore.SessionStore;
import roombus.HubConfig;
import roombus.chat.ChatService;
import roombus.chat.History;
import roombus.chat.PostLimiter;
import roombus.identity.Identity;
import roombus.identity.RoomAccess;
import roombus.room.RoomEvents;
import roombus.room.RoomService;
import roombus.store.Stores;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What bridge clients of one verticle share, whatever their transport: the node's {@link Fanout}, the
 * session store that says which rooms a session entered, the room and chat services, the posting
 * limits; and the clients themselves, so that idle ones are closed.
 */
public final class BridgeHub {

  private final Vertx vertx;
  private final HubConfig config;
  private final Fanout fanout;
  private final SessionStore sessions;
  private final RoomService rooms;
  private final Stores store;
  private final ChatService chats;
  private final History history;
  private final RoomEvents events;
  private final PostLimiter postLimiter;
  private final Set<BridgeConnection> connections = new HashSet<>();

  public BridgeHub(Vertx vertx, HubConfig config, Fanout fanout, SessionStore sessions, PostLimiter postLimiter) {
    this.vertx = vertx;
    this.config = config;
    this.fanout = fanout;
    this.sessions = sessions;
    this.postLimiter = postLimiter;
    this.rooms = RoomService.of(vertx);
    this.store = Stores.of(vertx);
    this.chats = new ChatService(vertx);
    this.history = new History(vertx);
    this.events = new RoomEvents(vertx);
    long every = Math.max(1_000, config.pingTimeout().toMillis() / 3);
    vertx.setPeriodic(every, id -> closeIdle());
  }

  /**
   * A new client on this verticle's context, speaking as {@code identity} with the rooms of session
   * {@code sessionId} (either may be null: such a client may only watch the room list, until a token
   * binds it to a session).
   */
  BridgeConnection open(ClientLink link, Identity identity, String sessionId) {
    Context context = vertx.getOrCreateContext();
    BridgeConnection connection = new BridgeConnection(this, link, context, identity, sessionId);
    connections.add(connection);
    connection.start();
    return connection;
  }

  /** Closes clients that have sent nothing (not even a ping) for longer than the ping timeout. */
  private void closeIdle() {
    long cutoff = System.currentTimeMillis() - config.pingTimeout().toMillis();
    List<BridgeConnection> idle = connections.stream().filter(c -> c.idleSince(cutoff)).toList();
    idle.forEach(BridgeConnection::close);
  }

  public SessionStore sessions() {
    return sessions;
  }

  Future<Boolean> hasAccess(String sessionId, String roomId) {
    if (sessionId == null) return Future.succeededFuture(false);
    return sessions.get(sessionId).map(session -> RoomAccess.has(session, roomId));
  }

  void disconnected(BridgeConnection connection) {
    connections.remove(connection);
  }

  Fanout fanout() {
    return fanout;
  }

  RoomService rooms() {
    return rooms;
  }

  Stores store() {
    return store;
  }

  ChatService chats() {
    return chats;
  }

  History history() {
    return history;
  }

  RoomEvents events() {
    return events;
  }

  PostLimiter postLimiter() {
    return postLimiter;
  }
}
