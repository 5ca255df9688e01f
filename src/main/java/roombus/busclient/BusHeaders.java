package roombus.busclient;

import io.vertx.core.json.JsonObject;

/** The headers of bridge frames that mean something to a roombus hub. */
public final class BusHeaders {

  /** The TCP bridge's credential (from {@code POST /api/token}); a TCP client has no cookie. */
  public static final String TOKEN = "token";

  /**
   * On a room's {@code register}: the last {@code seq} the client saw, so the hub sends what came
   * after.
   */
  public static final String SINCE = "since";

  private BusHeaders() {}

  /** Headers of a register that catches up on the messages after {@code seq}. */
  public static JsonObject since(long seq) {
    return new JsonObject().put(SINCE, String.valueOf(seq));
  }

  public static JsonObject token(String token) {
    return new JsonObject().put(TOKEN, token);
  }
}
