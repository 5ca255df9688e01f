package roombus.bridge;

import java.util.regex.Pattern;
import roombus.Addresses;

/**
 * What a bridge client may reach, next to {@link Addresses} because the two must agree: register on
 * the room list; register on, unregister from and send to a room (with the room rules checked per
 * session). Nothing else: no publish, no other address.
 */
final class BridgeRules {

  /** Room ids are the hub's own: short, URL-safe. Anything else is not a room address. */
  private static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private BridgeRules() {}

  static boolean isRoomList(String address) {
    return Addresses.ROOM_LIST.equals(address);
  }

  /** The room id of an address a client may use as a room, or {@code null}. */
  static String roomOf(String address) {
    String id = Addresses.roomIdOf(address);
    return id != null && ROOM_ID.matcher(id).matches() ? id : null;
  }
}
