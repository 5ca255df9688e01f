package roombus.bridge;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import roombus.model.Refusal;

/**
 * Whether one connection's session may use a room: asked of the session store once per room, then
 * trusted. Frames that arrive while the answer is on its way wait for the same answer, so they go
 * on in their order; a refusal is not kept, so entering the room over HTTP and trying again works.
 * Confined to the connection's event loop.
 */
final class RoomAccessChecks {

  private final BridgeHub hub;
  private final Map<String, Future<Void>> checks = new HashMap<>();

  RoomAccessChecks(BridgeHub hub) {
    this.hub = hub;
  }

  Future<Void> check(String sessionId, String roomId) {
    Future<Void> known = checks.get(roomId);
    if (known != null) return known;
    Future<Void> check =
        hub.hasAccess(sessionId, roomId)
            .compose(
                allowed ->
                    allowed
                        ? Future.<Void>succeededFuture()
                        : Future.<Void>failedFuture(
                            new Refusal(
                                Refusal.Reason.NOT_ENTERED, "You have not entered this room")));
    checks.put(roomId, check);
    check.onFailure(err -> checks.remove(roomId, check));
    return check;
  }

  /** The connection left the room (or was removed): the next use asks again. */
  void forget(String roomId) {
    checks.remove(roomId);
  }

  /** The connection now speaks for another session. */
  void forgetAll() {
    checks.clear();
  }
}
