package roombus.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import roombus.chat.ChatMessage;
import roombus.common.ApiError;

import java.util.List;

import static roombus.Addresses.*;

/**
 * What other verticles call to reach the store: requests on the node's {@code store.*} addresses,
 * with the failures the user should see turned back into {@link ApiError}s.
 */
public final class StoreClient {

  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(15_000);

  private final Vertx vertx;

  public StoreClient(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<JsonObject> handOver(String room, String owner, String user) {
    return request(STORE_ROOMS_HANDOVER, new JsonObject().put("room", room).put("owner", owner).put("user", user));
  }

  public Future<JsonObject> ban(String room, String owner, String user) {
    return request(STORE_ROOMS_BAN, new JsonObject().put("room", room).put("owner", owner).put("user", user));
  }

  /** The room's public JSON plus {@code passwordHash} and {@code banned} (never pass those on to a client). */
  public Future<JsonObject> room(String id) {
    return request(STORE_ROOMS_GET, new JsonObject().put("id", id));
  }

  public Future<JsonArray> rooms() {
    return request(STORE_ROOMS_LIST, new JsonObject());
  }

  public Future<JsonObject> createRoom(JsonObject room, long deleteAfter) {
    return request(STORE_ROOMS_CREATE, new JsonObject().put("room", room).put("deleteAfter", deleteAfter));
  }

  public Future<JsonObject> deleteOwnedRoom(String id, String user) {
    return request(STORE_ROOMS_DELETE, new JsonObject().put("id", id).put("user", user));
  }

  public Future<JsonObject> reserve(String room, String user, long holdUntil) {
    return request(STORE_ROOMS_RESERVE, new JsonObject().put("room", room).put("user", user).put("holdUntil", holdUntil));
  }

  public Future<JsonArray> releaseUnusedSeats(long now, long deleteAfter) {
    return request(STORE_SEATS_RELEASE, new JsonObject().put("now", now).put("deleteAfter", deleteAfter));
  }

  public Future<JsonObject> admit(String room, String user, String color, String node) {
    return request(STORE_ROOMS_ADMIT, new JsonObject().put("room", room).put("user", user).put("color", color).put("node", node));
  }

  public Future<JsonObject> depart(String room, String user, String node, long deleteAfter) {
    return request(STORE_ROOMS_DEPART, new JsonObject().put("room", room).put("user", user).put("node", node)
        .put("deleteAfter", deleteAfter));
  }

  public Future<JsonArray> sweepEmptyRooms(long now) {
    return request(STORE_ROOMS_SWEEP, new JsonObject().put("now", now));
  }

  public Future<JsonArray> participants(String room) {
    return request(STORE_ROOMS_PARTICIPANTS, new JsonObject().put("room", room));
  }

  public Future<JsonArray> presenceOutside(List<String> liveNodes) {
    return request(STORE_PRESENCE_PURGE, new JsonObject().put("liveNodes", new JsonArray(liveNodes)));
  }

  public Future<ChatMessage> append(ChatMessage message) {
    return this.<JsonObject>request(STORE_CHATS_APPEND, message.toJson()).map(ChatMessage::fromJson);
  }

  public Future<JsonArray> page(String room, Long before, Long after, int limit) {
    JsonObject query = new JsonObject().put("room", room).put("limit", limit);
    if (before != null) query.put("before", before);
    if (after != null) query.put("after", after);
    return request(STORE_CHATS_PAGE, query);
  }

  public Future<String> putGif(String path, String room) {
    return request(STORE_GIFS_PUT, new JsonObject().put("path", path).put("room", room));
  }

  public Future<Buffer> gif(String fileId) {
    return request(STORE_GIFS_GET, new JsonObject().put("id", fileId));
  }

  private <T> Future<T> request(String address, JsonObject body) {
    return vertx.eventBus().<T>request(address, body, TIMEOUT)
        .map(Message::body)
        .recover(err -> {
          ApiError api = ApiError.from(err);
          return Future.failedFuture(api != null ? api : err);
        });
  }
}
