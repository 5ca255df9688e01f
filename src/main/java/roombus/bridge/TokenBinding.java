package roombus.bridge;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.SessionStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import roombus.identity.Identity;
import roombus.identity.Tokens;

/**
 * Tokens on the websocket and SockJS endpoints, as on the TCP bridge: a client that cannot send the
 * session cookie (the Java event-bus client over a websocket, for one) presents the token of {@code
 * POST /api/token} in {@code headers.token}. The first frame with a valid token binds the
 * connection to the token's session ({@link BridgeConnection#bind}); later frames may repeat it or
 * leave it out, and another token is refused. Frames without a token go through unchanged: the
 * connection keeps the session of its cookie, or the fresh one it got without a cookie. While a
 * token is checked, the frames after it wait, so frames are always handled in the order sent.
 */
final class TokenBinding implements ClientLink {

  private static final byte[] TOKEN = "\"token\"".getBytes(StandardCharsets.US_ASCII);

  private final ClientLink link;
  private final Tokens tokens;
  private final SessionStore sessions;
  private BridgeConnection connection;
  private Handler<Buffer> frameHandler = frame -> {};
  private byte[] boundToken;

  /** Frames that arrived while a token is being checked; null when none is. */
  private ArrayDeque<Buffer> waiting;

  private boolean closed;

  TokenBinding(ClientLink link, Tokens tokens, SessionStore sessions) {
    this.link = link;
    this.tokens = tokens;
    this.sessions = sessions;
  }

  /** The bridge connection this link carries, which a token binds to its session. */
  void attach(BridgeConnection connection) {
    this.connection = connection;
  }

  private void inspect(Buffer data) {
    if (connection != null && connection.isClosed()) return;
    if (waiting != null) {
      waiting.add(data);
      return;
    }
    JsonObject frame = mayHoldToken(data) ? parse(data) : null;
    Object token =
        frame != null && frame.getValue("headers") instanceof JsonObject headers
            ? headers.getValue("token")
            : null;
    if (token == null) {
      frameHandler.handle(data);
      return;
    }
    String address = frame.getValue("address") instanceof String a ? a : null;
    if (boundToken != null) {
      if (token instanceof String text
          && MessageDigest.isEqual(boundToken, text.getBytes(StandardCharsets.UTF_8))) {
        frameHandler.handle(data);
      } else {
        deny(address, "This connection already speaks for another token");
      }
      return;
    }
    bindThenHandle(token, address, data);
  }

  private void bindThenHandle(Object token, String address, Buffer data) {
    waiting = new ArrayDeque<>();
    tokens
        .sessionOf(token)
        .compose(
            sessionId ->
                sessionId == null ? Future.<Session>succeededFuture(null) : sessions.get(sessionId))
        .onComplete(
            result -> {
              ArrayDeque<Buffer> after = waiting;
              waiting = null;
              if (closed) return;
              Session session = result.succeeded() ? result.result() : null;
              Identity identity = Identity.peek(session);
              if (identity == null) {
                deny(address, "Unknown or expired token");
              } else if (!connection.bind(identity, session.id())) {
                // closed when the token's session holds all the connections it may
                if (!connection.isClosed())
                  deny(address, "This connection is already in a room as another user");
              } else {
                boundToken = ((String) token).getBytes(StandardCharsets.UTF_8);
                frameHandler.handle(data);
              }
              while (waiting == null && !after.isEmpty()) inspect(after.poll());
              if (waiting != null)
                waiting.addAll(after); // another token is being checked: the rest wait for it
            });
  }

  private static boolean mayHoldToken(Buffer data) {
    int length = data.length();
    outer:
    for (int i = 0; i + TOKEN.length <= length; i++) {
      for (int j = 0; j < TOKEN.length; j++) if (data.getByte(i + j) != TOKEN[j]) continue outer;
      return true;
    }
    return false;
  }

  private static JsonObject parse(Buffer data) {
    try {
      return new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      return null; // the connection answers invalid_json
    }
  }

  private void deny(String address, String message) {
    link.write(BridgeFrames.err(address, 403, "access_denied", message, false));
  }

  // ---- ClientLink: the link underneath, with frames passing through the gate -------------------

  @Override
  public BridgeFrames.Style style() {
    return link.style();
  }

  @Override
  public void frameHandler(Handler<Buffer> handler) {
    this.frameHandler = handler;
    // the connection's frame limit comes first, before any token is looked up
    link.frameHandler(
        data -> {
          if (connection == null || connection.admit()) inspect(data);
        });
  }

  @Override
  public void closeHandler(Handler<Void> handler) {
    link.closeHandler(
        v -> {
          closed = true;
          handler.handle(v);
        });
  }

  @Override
  public void write(Buffer frame) {
    link.write(frame);
  }

  @Override
  public boolean writeQueueFull() {
    return link.writeQueueFull();
  }

  @Override
  public void closeSlow() {
    link.closeSlow();
  }

  @Override
  public void close() {
    link.close();
  }

  @Override
  public void close(int code, String reason) {
    link.close(code, reason);
  }

  @Override
  public String transport() {
    return link.transport();
  }
}
