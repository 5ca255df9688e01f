package roombus.bridge;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.sstore.SessionStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import roombus.identity.Identity;
import roombus.identity.Tokens;

/**
 * A client of the TCP event-bus bridge, as a {@link ClientLink}. It speaks the wire format of the
 * stock Vert.x TCP bridge: each frame is a 4-byte big-endian length and that many bytes of UTF-8
 * JSON; a {@code ping} is answered with {@code {"type":"pong"}}. Frames over {@link #MAX_FRAME}
 * bytes are refused and the connection is closed.
 *
 * <p>A TCP client has no session cookie: it presents a token ({@link Tokens}) in {@code
 * headers.token}. The first valid token binds the connection to the token's session, after which it
 * follows exactly the rules of a websocket carrying that session's cookie. Until then only {@code
 * ping} and the room list are allowed; a later frame with another token is refused. Frames are
 * handled in order: reading stops while a token is being checked.
 */
final class TcpClientLink implements ClientLink {

  /** The largest frame a client may send, in bytes of JSON. */
  static final int MAX_FRAME = 64 * 1024;

  private static final Buffer PONG = new JsonObject().put("type", "pong").toBuffer();

  private final NetSocket socket;
  private final RecordParser parser;
  private final Tokens tokens;
  private final SessionStore sessions;
  private BridgeConnection connection;
  private Handler<Buffer> frameHandler = frame -> {};
  private Handler<Void> closeHandler;

  /** The next record is a length (true) or the frame of {@link #frameSize} bytes (false). */
  private boolean readingLength = true;

  private int frameSize;

  /** The token this connection is bound by, once it is. */
  private byte[] boundToken;

  private boolean closing;
  private boolean closed;

  TcpClientLink(NetSocket socket, Tokens tokens, SessionStore sessions) {
    this.socket = socket;
    this.tokens = tokens;
    this.sessions = sessions;
    this.parser = RecordParser.newFixed(4, socket);
    parser.exceptionHandler(err -> socket.close());
    parser.handler(this::record);
    socket.closeHandler(
        v -> {
          closed = true;
          if (closeHandler != null) closeHandler.handle(null);
        });
  }

  /**
   * The bridge connection this link carries; the link binds it to a session when a token arrives.
   */
  void attach(BridgeConnection connection) {
    this.connection = connection;
  }

  // ---- reading: framing, then the token gate --------------------------------------------------

  private void record(Buffer record) {
    if (closing) return;
    if (readingLength) {
      if (record.length() < 4) return; // the client went away in the middle of a length
      int size = record.getInt(0);
      if (size < 0 || size > MAX_FRAME) {
        refuseAndClose(size);
      } else if (size == 0) {
        // an empty frame is not JSON: the connection says so
        if (admitted()) frameHandler.handle(Buffer.buffer());
      } else {
        frameSize = size;
        readingLength = false;
        parser.fixedSizeMode(size);
      }
      return;
    }
    readingLength = true;
    parser.fixedSizeMode(4);
    if (record.length() < frameSize) return; // the client went away in the middle of a frame
    if (admitted()) inspect(record);
  }

  /** Whether the connection's frame limit lets a frame through (before its token is looked at). */
  private boolean admitted() {
    return connection == null || connection.admit();
  }

  private void inspect(Buffer data) {
    JsonObject frame;
    try {
      frame = new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      frameHandler.handle(data); // the connection answers invalid_json
      return;
    }
    String type = frame.getValue("type") instanceof String t ? t : "";
    String address = frame.getValue("address") instanceof String a ? a : null;
    if ("ping".equals(type)) {
      write(PONG);
      frameHandler.handle(data); // a ping keeps the connection alive
      return;
    }
    Object token =
        frame.getValue("headers") instanceof JsonObject headers ? headers.getValue("token") : null;
    if (token == null) {
      if (boundToken != null || isRoomList(type, address)) {
        frameHandler.handle(data);
      } else {
        deny(address, "Present your token in headers.token (POST /api/token gives one)");
      }
    } else if (boundToken != null) {
      if (token instanceof String text
          && MessageDigest.isEqual(boundToken, text.getBytes(StandardCharsets.UTF_8))) {
        frameHandler.handle(data);
      } else {
        deny(address, "This connection already speaks for another token");
      }
    } else {
      bindThenHandle(token, address, data);
    }
  }

  /**
   * Checks the token with reading paused, binds the connection to its session, then handles the
   * frame.
   */
  private void bindThenHandle(Object token, String address, Buffer data) {
    parser.pause();
    tokens
        .sessionOf(token)
        .compose(
            sessionId -> sessionId == null ? Future.succeededFuture(null) : sessions.get(sessionId))
        .onComplete(
            result -> {
              if (closed) return;
              Identity identity = result.succeeded() ? Identity.peek(result.result()) : null;
              if (identity == null) {
                deny(address, "Unknown or expired token");
              } else if (connection.bind(identity, result.result().id())) {
                boundToken = ((String) token).getBytes(StandardCharsets.UTF_8);
                frameHandler.handle(data);
              } // else: the token's session holds all the connections it may; this one is closed
              parser.resume();
            });
  }

  private static boolean isRoomList(String type, String address) {
    return ("register".equals(type) || "unregister".equals(type))
        && BridgeRules.isRoomList(address);
  }

  private void deny(String address, String message) {
    write(BridgeFrames.err(address, 403, "access_denied", message, false));
  }

  private void refuseAndClose(int size) {
    closing = true;
    socket.end(
        framed(
            BridgeFrames.err(
                null,
                413,
                "frame_too_large",
                "A frame is at most " + MAX_FRAME + " bytes, this one announced " + size,
                false)));
  }

  // ---- ClientLink -------------------------------------------------------------------------------

  @Override
  public BridgeFrames.Style style() {
    return BridgeFrames.Style.MESSAGE;
  }

  @Override
  public void frameHandler(Handler<Buffer> handler) {
    this.frameHandler = handler;
  }

  @Override
  public void closeHandler(Handler<Void> handler) {
    this.closeHandler = handler;
  }

  @Override
  public void write(Buffer frame) {
    if (closing || closed) return;
    socket.write(framed(frame));
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void closeSlow() {
    if (closing || closed) return;
    closing = true;
    socket.end(
        framed(
            BridgeFrames.err(
                null,
                429,
                "too_slow",
                "Closed: the client does not keep up with its messages",
                false)));
  }

  @Override
  public void close() {
    closing = true;
    socket.close();
  }

  /**
   * TCP has no close code: an err frame carries it ({@code failureCode}), then the connection ends.
   */
  @Override
  public void close(int code, String reason) {
    if (closing || closed) return;
    closing = true;
    socket.end(framed(BridgeFrames.closing(code, reason)));
  }

  @Override
  public String transport() {
    return "tcp";
  }

  private static Buffer framed(Buffer json) {
    return Buffer.buffer(json.length() + 4).appendInt(json.length()).appendBuffer(json);
  }
}
