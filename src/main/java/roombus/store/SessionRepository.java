package roombus.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Web sessions, so that a visitor keeps their identity and room access across restarts and on every
 * node. A session is a JSON object ({@code data}, its bookkeeping) with an expiry time.
 */
public interface SessionRepository {

  /** The stored session, or {@code null} when there is none or it expired. */
  Future<JsonObject> get(String id, long now);

  Future<Void> put(String id, JsonObject session, long expires);

  Future<Void> delete(String id);

  Future<Integer> count(long now);

  Future<Void> clear();
}
