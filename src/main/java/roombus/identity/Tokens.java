package roombus.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Bearer tokens for clients that cannot carry the session cookie (the TCP bridge). A token stands
 * for one session: whoever presents it speaks as that session's user, with that session's room
 * access.
 *
 * <p>A token is 32 random bytes (base64url, 43 characters). The hub keeps only its SHA-256, mapped
 * to the session id, in a shared-data map that is cluster-wide when the node is clustered, with a
 * time to live; the session remembers the hash of its current token, so a new token replaces
 * (revokes) the previous one. A token resolves only while its entry lives and its session still
 * exists.
 */
public final class Tokens {

  private static final String MAP = "roombus.tokens";
  private static final String SESSION_KEY = "tokenHash";
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final Duration ttl;

  public Tokens(Vertx vertx, Duration ttl) {
    this.vertx = vertx;
    this.ttl = ttl;
  }

  /**
   * A new token for this session, replacing the one it had: {@code {"token": ..., "expiresAt":
   * ...}}. Call it inside the request, so that the session change is saved with the response.
   */
  public Future<JsonObject> issue(Session session) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    String hash = hash(token);
    String previous = session.get(SESSION_KEY);
    Instant expiresAt = Instant.now().plus(ttl);
    return map()
        .compose(
            map ->
                (previous == null
                        ? Future.<Void>succeededFuture()
                        : map.remove(previous).<Void>mapEmpty())
                    .compose(v -> map.put(hash, session.id(), ttl.toMillis())))
        .map(
            v -> {
              session.put(SESSION_KEY, hash);
              return new JsonObject().put("token", token).put("expiresAt", expiresAt.toString());
            });
  }

  /**
   * The id of the session a token stands for, or {@code null} for an unknown, revoked or expired
   * token.
   */
  public Future<String> sessionOf(Object token) {
    if (!(token instanceof String text) || !SHAPE.matcher(text).matches())
      return Future.succeededFuture(null);
    return map().compose(map -> map.get(hash(text)));
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  /** What the hub stores instead of the token: its SHA-256, in hex. */
  private static String hash(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
