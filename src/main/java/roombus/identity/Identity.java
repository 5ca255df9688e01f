package roombus.identity;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Session;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The anonymous identity of a visitor: a user id and a colour, both kept in the server-side session.
 * The colour is {@link ColorHash} of the session id, as the Node original does.
 */
public record Identity(String user, String color) {

  private static final String USER = "user";
  private static final String COLOR = "color";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The identity in this session, created on first sight. */
  public static Identity of(Session session) {
    String user = session.get(USER);
    String color = session.get(COLOR);
    if (user == null || color == null) {
      byte[] bytes = new byte[8];
      RANDOM.nextBytes(bytes);
      user = HexFormat.of().formatHex(bytes);
      color = ColorHash.hex(session.id());
      session.put(USER, user);
      session.put(COLOR, color);
    }
    return new Identity(user, color);
  }

  /** The identity in this session, or {@code null} when it has none yet. */
  public static Identity peek(Session session) {
    if (session == null) return null;
    String user = session.get(USER);
    String color = session.get(COLOR);
    return user == null || color == null ? null : new Identity(user, color);
  }

  public JsonObject toJson() {
    return new JsonObject().put(USER, user).put(COLOR, color);
  }
}
