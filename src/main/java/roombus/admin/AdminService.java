package roombus.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import roombus.Addresses;
import roombus.bus.LocalServices;

/** What the admin view shows and does, node-local; implemented by {@link AdminNode}. */
public interface AdminService {

  static AdminService of(Vertx vertx) {
    return LocalServices.proxy(vertx, Addresses.ADMIN, AdminService.class);
  }

  /**
   * The cluster now: {@code nodes} (each node's connections by transport, users present, message
   * counters, draining), {@code rooms} (each with its participants and messages per minute).
   */
  Future<JsonObject> overview();

  /** Deletes a room whoever owns it: its users see it removed. */
  Future<Void> closeRoom(String roomId);

  /** Closes every connection of a user on every node. */
  Future<Void> disconnect(String user);
}
