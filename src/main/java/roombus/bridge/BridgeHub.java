package roombus.bridge;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.sstore.SessionStore;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.Addresses;
import roombus.HubConfig;
import roombus.chat.ChatService;
import roombus.chat.History;
import roombus.chat.PostLimiter;
import roombus.guard.FrameLimit;
import roombus.guard.Guards;
import roombus.identity.Identity;
import roombus.identity.RoomAccess;
import roombus.metrics.HubMetrics;
import roombus.ops.NodeStatus;
import roombus.room.RoomEvents;
import roombus.room.RoomService;
import roombus.store.Stores;

/**
 * What bridge clients of one verticle share, whatever their transport: the node's {@link Fanout},
 * the session store that says which rooms a session entered, the room and chat services, the
 * posting limits; and the clients themselves, so that idle ones are closed.
 */
public final class BridgeHub implements NodeStatus.Drainable {

  /**
   * Close code: the node is going away; reconnect (to another node) and catch up with {@code
   * since}.
   */
  public static final int GOING_AWAY = 4001;

  public static final String GOING_AWAY_REASON = "going away: reconnect";

  /** Close code: an administrator disconnected this user; do not reconnect on your own. */
  public static final int DISCONNECTED = 4002;

  public static final String DISCONNECTED_REASON = "disconnected by an administrator";

  /**
   * Close code: a limit against abuse ended this connection (too many connections of its session,
   * or too many frames); the reason says which.
   */
  public static final int RATE_LIMITED = 4029;

  private static final Logger log = LoggerFactory.getLogger(BridgeHub.class);

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
  private final Guards guards;
  private final Set<BridgeConnection> connections = new HashSet<>();
  private final HubMetrics metrics;
  private final NodeStatus status;
  private final Context home;
  private boolean draining;

  public BridgeHub(
      Vertx vertx,
      HubConfig config,
      Fanout fanout,
      SessionStore sessions,
      PostLimiter postLimiter,
      Guards guards) {
    this.vertx = vertx;
    this.config = config;
    this.fanout = fanout;
    this.sessions = sessions;
    this.postLimiter = postLimiter;
    this.guards = guards;
    this.rooms = RoomService.of(vertx);
    this.store = Stores.of(vertx);
    this.chats = new ChatService(vertx);
    this.history = new History(vertx);
    this.events = new RoomEvents(vertx);
    long every = Math.max(1_000, config.pingTimeout().toMillis() / 3);
    vertx.setPeriodic(every, id -> closeIdle());
    this.metrics = HubMetrics.of(vertx);
    this.status = NodeStatus.of(vertx);
    this.home = vertx.getOrCreateContext();
    status.register(this);
    // the admin view disconnects a user on every node at once
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.ADMIN_DISCONNECT, msg -> disconnect(msg.body().getString("user")));
  }

  /**
   * A new client on this verticle's context, speaking as {@code identity} with the rooms of session
   * {@code sessionId} (either may be null: such a client may only watch the room list, until a
   * token binds it to a session).
   */
  BridgeConnection open(ClientLink link, Identity identity, String sessionId) {
    Context context = vertx.getOrCreateContext();
    boolean counted = sessionId != null && guards.connections().tryOpen(sessionId);
    BridgeConnection connection =
        new BridgeConnection(this, link, context, identity, sessionId, counted);
    connections.add(connection);
    metrics.connected(link.transport());
    connection.start();
    if (draining) connection.close(GOING_AWAY, GOING_AWAY_REASON);
    else if (sessionId != null && !counted) connection.refuseTooMany();
    return connection;
  }

  /** Counts a connection under {@code sessionId}; false when the session holds all it may. */
  boolean countConnection(String sessionId) {
    return guards.connections().tryOpen(sessionId);
  }

  /** A connection counted under {@code sessionId} is gone. */
  void uncountConnection(String sessionId) {
    guards.connections().closed(sessionId);
  }

  /** The most bridge connections one session may hold on this node. */
  int connectionsPerSession() {
    return guards.connections().max();
  }

  FrameLimit frameLimit() {
    return guards.frames();
  }

  /** The short reason an err frame gives for a close with {@code code}. */
  static String closeKind(int code) {
    return switch (code) {
      case GOING_AWAY -> "reconnect";
      case RATE_LIMITED -> "rate_limited";
      default -> "disconnected";
    };
  }

  /**
   * Whether this node is shutting down: connections close without leaving their rooms (see {@link
   * #drain}).
   */
  boolean draining() {
    return draining;
  }

  /**
   * The node is shutting down: no connection takes a post or a register from now on; once the posts
   * already taken are answered (or the node's drain timeout passed), every connection is closed
   * with {@link #GOING_AWAY}. Their users stay present in their rooms: they reconnect to another
   * node at once, and the presence this node held is cleared by the others when it has left the
   * cluster.
   */
  @Override
  public Future<Void> drain(int code, String reason) {
    Promise<Void> closed = Promise.promise();
    home.runOnContext(
        v -> {
          draining = true;
          long deadline = System.currentTimeMillis() + config.drainTimeout().toMillis();
          whenPostsAnswered(
              deadline,
              () -> {
                List.copyOf(connections).forEach(c -> c.close(code, reason));
                closed.complete();
              });
        });
    return closed.future();
  }

  private void whenPostsAnswered(long deadline, Runnable then) {
    boolean pending = connections.stream().anyMatch(BridgeConnection::postsInFlight);
    if (!pending || System.currentTimeMillis() > deadline) then.run();
    else vertx.setTimer(10, id -> whenPostsAnswered(deadline, then));
  }

  /** Closes the connections of {@code user} on this verticle with {@link #DISCONNECTED}. */
  private void disconnect(String user) {
    if (user == null) return;
    List<BridgeConnection> theirs = connections.stream().filter(c -> c.speaksFor(user)).toList();
    if (!theirs.isEmpty())
      log.warn("event=user_disconnected user={} connections={} by=admin", user, theirs.size());
    theirs.forEach(c -> c.close(DISCONNECTED, DISCONNECTED_REASON));
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

  void disconnected(BridgeConnection connection, String transport) {
    if (connections.remove(connection)) metrics.disconnected(transport);
  }

  HubMetrics metrics() {
    return metrics;
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
