package roombus.bridge;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.common.ThrottledLog;
import roombus.guard.FrameLimit;
import roombus.identity.Identity;

/**
 * One client of the event-bus bridge (any SockJS transport, the raw websocket, or the TCP bridge).
 * Speaks the Vert.x bridge frames ({@code send}, {@code publish}, {@code register}, {@code
 * unregister}, {@code ping}); lets the client reach only what {@link BridgeRules} allows, always as
 * the user of its server-side session. Its rooms (a register is entering, an unregister leaving)
 * are {@link ConnectionRooms}' business, what it sends to them {@link RoomPosts}'.
 */
final class BridgeConnection implements Fanout.Subscriber {

  private static final Logger log = LoggerFactory.getLogger(BridgeConnection.class);

  /** Lines any number of clients could cause: a few a minute. */
  private static final ThrottledLog slowLog = ThrottledLog.of(log, 3);

  /** The ping as the stock clients write it, byte for byte; any other spelling is parsed. */
  private static final Buffer PING = Buffer.buffer("{\"type\":\"ping\"}");

  private static final ThrottledLog.PerKind REFUSALS =
      ThrottledLog.perKind(log, java.time.Duration.ofSeconds(1));

  private final BridgeHub hub;
  private final ClientLink socket;
  private final Context context;

  /** A connection is opened on its event loop ({@link BridgeHub#open}). */
  private final Thread eventLoop = Thread.currentThread();

  /**
   * Who speaks on this connection; null until it is bound to a session (a TCP client before its
   * token).
   */
  private Identity identity;

  private String sessionId;

  /**
   * The session this connection is counted under ({@code CONNECTIONS_PER_SESSION}), or null: none
   * yet (a TCP client before its token), or refused.
   */
  private String countedSession;

  /** When the client was last heard from, and its frame limit while it sends quickly. */
  private final FrameLimit.Pace pace;

  /** Room access of this connection's session, asked once per room, then trusted. */
  private final RoomAccessChecks accessChecks;

  /** The rooms it is in, and whether it follows the room list. */
  private final ConnectionRooms rooms;

  private boolean closed;

  /** What the client sends to its rooms. */
  private final RoomPosts posts;

  BridgeConnection(
      BridgeHub hub,
      ClientLink socket,
      Context context,
      Identity identity,
      String sessionId,
      boolean counted) {
    this.hub = hub;
    this.socket = socket;
    this.context = context;
    this.identity = identity;
    this.sessionId = sessionId;
    this.countedSession = counted ? sessionId : null;
    this.accessChecks = new RoomAccessChecks(hub);
    this.pace = hub.frameLimit().pace(System.currentTimeMillis());
    this.posts = new RoomPosts(hub, this);
    this.rooms = new ConnectionRooms(this, hub, accessChecks);
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public Thread eventLoop() {
    return eventLoop;
  }

  void start() {
    socket.frameHandler(this::onFrame);
    socket.closeHandler(v -> onClose());
  }

  /**
   * Binds the connection to a session's user, on the first token it presents: a TCP client has no
   * session before; a websocket or SockJS client's cookie session (or the fresh one it got without
   * a cookie) is replaced, unless it is already in a room as that session's user. False when
   * refused.
   */
  boolean bind(Identity identity, String sessionId) {
    if (sessionId.equals(this.sessionId)) return true;
    if (!rooms.isEmpty()) return false;
    // the connection now counts under the token's session
    if (!sessionId.equals(countedSession)) {
      if (!hub.countConnection(sessionId)) {
        refuseTooMany();
        return false;
      }
      if (countedSession != null) hub.uncountConnection(countedSession);
      countedSession = sessionId;
    }
    this.identity = identity;
    this.sessionId = sessionId;
    accessChecks.forgetAll();
    return true;
  }

  /** Who speaks on this connection, or null before it is bound to a session. */
  Identity identity() {
    return identity;
  }

  /** The session it speaks for, or null before it is bound to one. */
  String sessionId() {
    return sessionId;
  }

  /** Whether this connection's session may post to the room (asked once per room, then trusted). */
  Future<Void> mayPost(String roomId) {
    return accessChecks.check(sessionId, roomId);
  }

  /** Whether the socket is in the room at {@code address} (entered, and not withdrawn). */
  boolean isIn(String address) {
    return rooms.isIn(address);
  }

  // ---- frames from the client ---------------------------------------------------------------

  /**
   * Whether a frame that just arrived may be handled: the link asks, before it looks at the frame
   * (a token in it would cost a lookup). Past {@code FRAMES_PER_SECOND} the frame is dropped, with
   * an err frame for the first ones; a connection that keeps flooding is closed ({@link
   * FrameLimit.Pace}).
   */
  boolean admit() {
    if (closed) return false;
    switch (pace.admit(System.currentTimeMillis())) {
      case PASS:
        return true;
      case REFUSE:
        hub.metrics().limited("frames");
        error(
            null,
            429,
            "rate_limited",
            "Too many frames: at most "
                + hub.frameLimit().perSecond()
                + " a second; this one was dropped, slow down");
        return false;
      case DROP:
        hub.metrics().limited("frames");
        return false;
      default:
        hub.metrics().limited("frames");
        REFUSALS.warn(
            "flood", "event=bridge_closed reason=too_many_frames transport={}", socket.transport());
        onClose();
        socket.close(
            BridgeHub.RATE_LIMITED,
            "too many frames: more than ten times "
                + hub.frameLimit().perSecond()
                + " a second, for seconds");
        return false;
    }
  }

  /** Over the session's connection limit: told why, and closed. */
  void refuseTooMany() {
    hub.metrics().limited("connections");
    REFUSALS.warn(
        "connections",
        "event=bridge_refused reason=too_many_connections transport={}",
        socket.transport());
    onClose();
    socket.close(
        BridgeHub.RATE_LIMITED,
        "too many connections: a session may hold "
            + hub.connectionsPerSession()
            + " connections at once on a node");
  }

  boolean isClosed() {
    return closed;
  }

  private void onFrame(Buffer data) {
    if (closed) return;
    pace.heard(System.currentTimeMillis());
    if (PING.equals(data)) return; // most frames of an idle connection: not worth a JSON parse
    JsonObject frame;
    try {
      frame = new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      error(null, 400, "invalid_json", "A frame must be a JSON object");
      return;
    }
    String type = frame.getValue("type") instanceof String t ? t : "";
    String address = frame.getValue("address") instanceof String a ? a : null;
    // the node is going away: nothing new is taken; the client does it again on the node it
    // reconnects to
    if (hub.draining() && ("send".equals(type) || "register".equals(type))) return;
    switch (type) {
      case "ping" -> {}
      case "register" -> rooms.register(address, frame);
      case "unregister" -> rooms.unregister(address);
      case "send" -> posts.send(address, frame);
      case "publish" ->
          error(address, 403, "access_denied", "Publishing is not allowed; send to a room instead");
      default -> error(address, 400, "invalid_frame", "Unknown frame type '" + type + "'");
    }
  }

  // ---- frames to the client -----------------------------------------------------------------

  /** The room list's updates (a room's own messages go to its {@link RoomRegistration}). */
  @Override
  public void deliver(String address, Fanout.Delivery delivery) {
    if (!closed && rooms.followsRoomList()) write(delivery.frame(socket.style()));
  }

  /** The room is gone, or this user was removed from it: the socket is no longer in it. */
  void dropRoom(RoomRegistration registration, boolean leave) {
    rooms.drop(registration, leave);
  }

  BridgeFrames.Style style() {
    return socket.style();
  }

  String transport() {
    return socket.transport();
  }

  /** Writes a frame, unless the client is too slow for it (then it is closed). */
  void write(Buffer frame) {
    if (closed) return;
    if (socket.writeQueueFull()) {
      slowLog.info("Closing a bridge socket that does not keep up with its messages");
      onClose();
      socket.closeSlow();
      return;
    }
    socket.write(frame);
  }

  void error(String address, int failureCode, String code, String message) {
    hub.metrics().bridgeRefused(code);
    REFUSALS.warn(
        code,
        "event=bridge_refused reason={} address={} transport={}",
        code,
        address,
        socket.transport());
    write(BridgeFrames.err(address, failureCode, code, message, false));
  }

  // ---- end ----------------------------------------------------------------------------------

  boolean idleSince(long cutoff) {
    return pace.silentSince(cutoff);
  }

  /**
   * The hub gives up on this client (silent past the ping timeout). It leaves its rooms and gets
   * nothing more at once: a dead client never answers a websocket close frame, and its link would
   * otherwise only report the end when the close handshake times out (or never, if the frame cannot
   * even be sent).
   */
  void close() {
    onClose();
    socket.close();
  }

  void close(int code, String reason) {
    socket.close(code, reason);
  }

  /**
   * Posts taken and not yet answered: a draining node waits for them before it closes the
   * connection.
   */
  boolean postsInFlight() {
    return posts.inFlight();
  }

  boolean speaksFor(String user) {
    return identity != null && identity.user().equals(user);
  }

  private void onClose() {
    if (closed) return;
    closed = true;
    hub.disconnected(this, socket.transport());
    if (countedSession != null) hub.uncountConnection(countedSession);
    countedSession = null;
    rooms.closeAll(hub.draining());
  }
}
