package roombus.room;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import roombus.Addresses;

/**
 * Publishes what clients see on the public addresses. Each event is encoded to JSON text once, here;
 * every node's bridge writes those same characters to all its sockets.
 */
public final class RoomEvents {

  private final Vertx vertx;

  public RoomEvents(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Header naming the stored sequence number of a room event, for catch-up without duplicates. */
  public static final String SEQ = "seq";
  /** Header naming the one user a room event is for (whispers); others' sockets skip it. */
  public static final String TO = "to";
  /** Header marking an event that changes who may be in the room (room removed, user kicked). */
  public static final String CONTROL = "control";

  public void toRoom(String roomId, JsonObject event) {
    DeliveryOptions options = new DeliveryOptions();
    Long seq = event.getLong("seq");
    if (seq != null && seq > 0) options.addHeader(SEQ, seq.toString());
    vertx.eventBus().publish(Addresses.room(roomId), event.encode(), options);
  }

  public void toRoomList(JsonObject event) {
    vertx.eventBus().publish(Addresses.ROOM_LIST, event.encode());
  }

  public void newRoom(JsonObject room) {
    toRoomList(new JsonObject().put("type", "newRoom").put("room", room).put("id", room.getString("id")));
  }

  public void removeRoom(String roomId) {
    toRoomList(new JsonObject().put("type", "removeRoom").put("id", roomId));
    vertx.eventBus().publish(Addresses.room(roomId),
        new JsonObject().put("type", "removed").put("room", roomId).encode(),
        new DeliveryOptions().addHeader(CONTROL, "removed"));
  }

  public void count(String roomId, int count) {
    toRoomList(new JsonObject().put("type", "count").put("id", roomId).put("count", count));
  }
}
