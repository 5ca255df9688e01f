package roombus.identity;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The anonymous identity of a visitor: a user id and a colour, both derived from their session id
 * (the colour is {@link ColorHash} of it, as the Node original does). Nothing has to be stored to
 * keep an identity: the same session gives the same identity on every node and after a restart, and
 * a visitor who only looks around leaves nothing in the store. The user id is public, the session
 * id secret: the id is a SHA-256 digest of the session id, which cannot be turned back into it.
 */
public record Identity(String user, String color) {

  /** The identity of this session. */
  public static Identity of(Session session) {
    return new Identity(userOf(session.id()), ColorHash.hex(session.id()));
  }

  /** The identity of this session, or {@code null} when there is no session. */
  public static Identity peek(Session session) {
    return session == null ? null : of(session);
  }

  public JsonObject toJson() {
    return new JsonObject().put("user", user).put("color", color);
  }

  private static String userOf(String sessionId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java has SHA-256", e);
    }
  }
}
