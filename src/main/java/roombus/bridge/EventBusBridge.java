package roombus.bridge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.sstore.SessionStore;
import roombus.HubConfig;
import roombus.chat.ChatService;
import roombus.chat.PostLimiter;
import roombus.identity.Identity;
import roombus.identity.RoomAccess;
import roombus.room.RoomsClient;
import roombus.store.StoreClient;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The event-bus bridge of one HTTP verticle: SockJS (websocket, streaming and polling transports, and
 * the raw websocket at {@code /eventbus/websocket}) carrying Vert.x bridge frames. Each socket becomes a
 * {@link BridgeConnection}; room traffic goes through the node's shared {@link Fanout}.
 */
public final class EventBusBridge {

  private final Vertx vertx;
  private final HubConfig config;
  private final Fanout fanout;
  private final SessionStore sessions;
  private final RoomsClient rooms;
  private final StoreClient store;
  private final ChatService chats;
  private final PostLimiter postLimiter;
  private final Set<BridgeConnection> connections = new HashSet<>();

  public EventBusBridge(Vertx vertx, HubConfig config, Fanout fanout, SessionStore sessions, PostLimiter postLimiter) {
    this.vertx = vertx;
    this.config = config;
    this.fanout = fanout;
    this.sessions = sessions;
    this.postLimiter = postLimiter;
    this.rooms = new RoomsClient(vertx);
    this.store = new StoreClient(vertx);
    this.chats = new ChatService(vertx);
  }

  /** The SockJS router to mount at {@code /eventbus}. */
  public Router router() {
    SockJSHandlerOptions options = new SockJSHandlerOptions()
        .setRegisterWriteHandler(false)
        .setLocalWriteHandler(false)
        .setInsertJSESSIONID(false)
        .setHeartbeatInterval(25_000)
        .setSessionTimeout(Math.max(5_000, config.pingTimeout().toMillis()));
    long every = Math.max(1_000, config.pingTimeout().toMillis() / 3);
    vertx.setPeriodic(every, id -> closeIdle());
    return SockJSHandler.create(vertx, options).socketHandler(this::connected);
  }

  private void connected(SockJSSocket socket) {
    var session = socket.webSession();
    Identity identity = Identity.peek(session);
    BridgeConnection connection = new BridgeConnection(this, socket, vertx.getOrCreateContext(), identity,
        session == null ? null : session.id());
    connections.add(connection);
    connection.start();
  }

  /** Closes sockets that have sent nothing (not even a ping) for longer than the ping timeout. */
  private void closeIdle() {
    long cutoff = System.currentTimeMillis() - config.pingTimeout().toMillis();
    List<BridgeConnection> idle = connections.stream().filter(c -> c.idleSince(cutoff)).toList();
    idle.forEach(BridgeConnection::close);
  }

  public int connections() {
    return connections.size();
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

  RoomsClient rooms() {
    return rooms;
  }

  StoreClient store() {
    return store;
  }

  ChatService chats() {
    return chats;
  }

  PostLimiter postLimiter() {
    return postLimiter;
  }
}
