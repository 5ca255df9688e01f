package roombus.room;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import roombus.Addresses;
import roombus.common.ApiError;
import roombus.identity.Identity;

/** What the HTTP edge and the bridge call to reach the node's {@link RoomsVerticle}. */
public final class RoomsClient {

  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(15_000);

  private final Vertx vertx;

  public RoomsClient(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<JsonObject> create(JsonObject roomWithHash) {
    return request(Addresses.ROOMS_CREATE, roomWithHash);
  }

  public Future<JsonObject> delete(String roomId, String user) {
    return request(Addresses.ROOMS_DELETE, new JsonObject().put("id", roomId).put("user", user));
  }

  public Future<JsonObject> handOver(String roomId, String owner, String user) {
    return request(Addresses.ROOMS_HANDOVER, new JsonObject().put("room", roomId).put("owner", owner).put("user", user));
  }

  public Future<JsonObject> kick(String roomId, String owner, String user) {
    return request(Addresses.ROOMS_KICK, new JsonObject().put("room", roomId).put("owner", owner).put("user", user));
  }

  /** Entering over HTTP: takes (or confirms) the user's seat; fails 404, 403 (removed) or 409 (full). */
  public Future<JsonObject> reserve(String roomId, Identity who) {
    return request(Addresses.ROOMS_RESERVE, presence(roomId, who));
  }

  /** A connection of this user enters the room; fails 404 (no room) or 409 (full). */
  public Future<JsonObject> join(String roomId, Identity who) {
    return request(Addresses.ROOMS_JOIN, presence(roomId, who));
  }

  public Future<JsonObject> leave(String roomId, Identity who) {
    return request(Addresses.ROOMS_LEAVE, presence(roomId, who));
  }

  private static JsonObject presence(String roomId, Identity who) {
    return new JsonObject().put("room", roomId).put("user", who.user()).put("color", who.color());
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, TIMEOUT)
        .map(Message::body)
        .recover(err -> {
          ApiError api = ApiError.from(err);
          return Future.failedFuture(api != null ? api : err);
        });
  }
}
