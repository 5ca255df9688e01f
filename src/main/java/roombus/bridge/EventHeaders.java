package roombus.bridge;

import io.vertx.core.MultiMap;
import roombus.room.RoomEvents;

/**
 * What a published event's headers ({@link RoomEvents}) tell the bridge: read once per message on a
 * node, not once per socket it goes to.
 *
 * @param seq the stored sequence number, 0 for an event that has none
 */
record EventHeaders(
    String to, String from, String notTo, long seq, String id, String control, String user) {

  private static final EventHeaders NONE = new EventHeaders(null, null, null, 0, null, null, null);

  static EventHeaders of(MultiMap headers) {
    if (headers.isEmpty()) return NONE;
    String seq = headers.get(RoomEvents.SEQ);
    return new EventHeaders(
        headers.get(RoomEvents.TO),
        headers.get(RoomEvents.FROM),
        headers.get(RoomEvents.NOT_TO),
        seq == null ? 0 : Long.parseLong(seq),
        headers.get(RoomEvents.ID),
        headers.get(RoomEvents.CONTROL),
        headers.get(RoomEvents.USER));
  }

  /**
   * Whether the sockets of {@code user} get the event: a whisper goes to its sender and its
   * recipient only, and a typing notice to everybody but the one typing.
   */
  boolean isFor(String user) {
    if (to != null && !to.equals(user) && !user.equals(from)) return false;
    return !user.equals(notTo);
  }

  /**
   * Whether the event removes {@code user} from the room: the room is gone, or they were kicked.
   */
  boolean removes(String user) {
    return RoomEvents.REMOVED.equals(control) || (kicked() && user.equals(this.user));
  }

  /** Whether the removal is the user's own (kicked), so the room sees them leave. */
  boolean kicked() {
    return RoomEvents.KICKED.equals(control);
  }
}
