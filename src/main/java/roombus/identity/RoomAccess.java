package roombus.identity;

import io.vertx.ext.web.Session;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The rooms a session has been admitted to (right password, room not full at the time). Kept in the
 * server-side session as a plain string so every session store, clustered ones too, can hold it.
 */
public final class RoomAccess {

  private static final String KEY = "rooms";

  /**
   * A session keeps access to its most recent rooms only, so a session cannot grow without bound.
   */
  private static final int MAX_ROOMS = 50;

  private RoomAccess() {}

  public static boolean has(Session session, String roomId) {
    return session != null && rooms(session).contains(roomId);
  }

  public static void grant(Session session, String roomId) {
    Set<String> rooms = rooms(session);
    rooms.remove(roomId);
    rooms.add(roomId);
    while (rooms.size() > MAX_ROOMS) rooms.remove(rooms.iterator().next());
    session.put(KEY, String.join(",", rooms));
  }

  private static Set<String> rooms(Session session) {
    String value = session.get(KEY);
    Set<String> rooms = new LinkedHashSet<>();
    if (value != null && !value.isEmpty()) rooms.addAll(Arrays.asList(value.split(",")));
    return rooms;
  }
}
