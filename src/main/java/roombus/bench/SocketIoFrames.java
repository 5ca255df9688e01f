package roombus.bench;

import io.vertx.core.buffer.Buffer;

/**
 * The few frames of Engine.IO v4 over a websocket, and of Socket.IO v5 inside them, that a chat
 * client of the peer's {@code /chat} namespace needs. Each websocket message is one Engine.IO
 * packet (no batching outside polling): a type digit, then its data. A message packet ({@code 4})
 * holds a Socket.IO packet: a type digit, the namespace and a comma, an optional ack id, then a
 * JSON array. Reading a frame's kind looks at its first bytes only and allocates nothing.
 */
final class SocketIoFrames {

  static final String NAMESPACE = "/chat";

  /** What a frame from the server is. */
  enum Kind {
    /** {@code 0{"sid":…,"pingInterval":…}}: the Engine.IO handshake. */
    OPEN,
    /** {@code 1}: the server closes the Engine.IO session. */
    CLOSE,
    /**
     * {@code 2}: the server's heartbeat; the client must answer {@link #PONG} in time or be
     * dropped.
     */
    PING,
    /** {@code 40/chat,{"sid":…}}: the namespace is open. */
    CONNECTED,
    /** {@code 41/chat,}: the server left the namespace. */
    DISCONNECTED,
    /** {@code 42/chat,["chat",{…}]}: an event (a delivery). */
    EVENT,
    /** {@code 43/chat,<id>[…]}: the answer to an emit that asked for one. */
    ACK,
    /** {@code 44/chat,{"message":…}}: the namespace refused the client. */
    CONNECT_ERROR,
    /** Anything else (noop, another namespace, binary packets): ignored. */
    OTHER
  }

  static final String PONG = "3";
  static final String CONNECT = "40" + NAMESPACE + ",";

  private static final String EVENT_PREFIX = "42" + NAMESPACE + ",";
  private static final int NAMESPACE_START = 2;

  private SocketIoFrames() {}

  static Kind kind(Buffer frame) {
    int n = frame.length();
    if (n == 0) return Kind.OTHER;
    switch (frame.getByte(0)) {
      case '0':
        return Kind.OPEN;
      case '1':
        return Kind.CLOSE;
      case '2':
        return Kind.PING;
      case '4':
        break;
      default:
        return Kind.OTHER;
    }
    if (n < NAMESPACE_START + NAMESPACE.length() + 1 || !inNamespace(frame)) return Kind.OTHER;
    switch (frame.getByte(1)) {
      case '0':
        return Kind.CONNECTED;
      case '1':
        return Kind.DISCONNECTED;
      case '2':
        return Kind.EVENT;
      case '3':
        return Kind.ACK;
      case '4':
        return Kind.CONNECT_ERROR;
      default:
        return Kind.OTHER;
    }
  }

  /** The ack id of an {@link Kind#ACK} frame, or -1 when it has none. */
  static long ackId(Buffer frame) {
    int i = NAMESPACE_START + NAMESPACE.length() + 1;
    long id = -1;
    byte b;
    while (i < frame.length() && (b = frame.getByte(i)) >= '0' && b <= '9') {
      id = (id < 0 ? 0 : id * 10) + (b - '0');
      i++;
    }
    return id;
  }

  /**
   * {@code join} {@code {room}}, asking for an answer with {@code ackId}: its ack says the socket
   * is in the room.
   */
  static String join(String room, long ackId) {
    return EVENT_PREFIX + ackId + "[\"join\",{\"room\":\"" + room + "\"}]";
  }

  /**
   * The {@code chat} event up to its chat text: {@code 42/chat,["chat",{"room":…,"user":…,"chat":"}.
   * Room and user names are the generator's own ({@code r12}, {@code u34}), nothing to escape.
   */
  static String chatPrefix(String room, String user) {
    return EVENT_PREFIX
        + "[\"chat\",{\"room\":\""
        + room
        + "\",\"user\":\""
        + user
        + "\",\"chat\":\"";
  }

  /** Completes a chat event after its text: the send time again as the peer's {@code t} field. */
  static StringBuilder chatSuffix(StringBuilder into, long now) {
    return into.append("\",\"t\":").append(now).append("}]");
  }

  private static boolean inNamespace(Buffer frame) {
    for (int j = 0; j < NAMESPACE.length(); j++) {
      if (frame.getByte(NAMESPACE_START + j) != NAMESPACE.charAt(j)) return false;
    }
    return frame.getByte(NAMESPACE_START + NAMESPACE.length()) == ',';
  }
}
