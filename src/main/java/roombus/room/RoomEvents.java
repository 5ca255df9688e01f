package roombus.room;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import roombus.Addresses;
import roombus.identity.Identity;
import roombus.model.ChatMessage;
import roombus.model.Room;
import roombus.model.Whisper;

/**
 * Publishes what clients see on the public addresses. Each event is encoded to JSON text once,
 * here; every node's bridge writes those same characters to all its sockets. Headers tell the
 * bridges what they must act on without reading the body.
 */
public final class RoomEvents {

  /** Header naming the stored sequence number of a room event, for catch-up without duplicates. */
  public static final String SEQ = "seq";

  /** Header naming the one user a room event is for (whispers); others' sockets skip it. */
  public static final String TO = "to";

  /** Header naming the sender of a whisper, who sees it too. */
  public static final String FROM = "from";

  /** Header marking an event that changes who may be in the room (room removed, user kicked). */
  public static final String CONTROL = "control";

  /** {@link #CONTROL}: the user named by {@link #USER} was removed from the room by its owner. */
  public static final String KICKED = "kick";

  /** {@link #CONTROL}: the room is gone; every socket in it leaves it. */
  public static final String REMOVED = "removed";

  /** Header naming the user a control event is about (the one kicked). */
  public static final String USER = "user";

  /** Header naming the id of an event that has no seq (a whisper), so a socket writes it once. */
  public static final String ID = "id";

  /** Header naming the user whose own sockets skip the event (the one typing). */
  public static final String NOT_TO = "notTo";

  private final Vertx vertx;

  public RoomEvents(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A stored message, to everybody in its room. */
  public void stored(ChatMessage message) {
    toRoom(message.room(), message.toJson(), new DeliveryOptions());
  }

  /** A stored join or exit notice, with the room's new occupancy. */
  void presenceNotice(ChatMessage notice, int count) {
    toRoom(notice.room(), notice.toJson().put("count", count), new DeliveryOptions());
  }

  /** A stored notice that the room has a new owner. */
  void ownerNotice(ChatMessage notice, Room room) {
    toRoom(
        notice.room(),
        notice.toJson().put("owner", room.owner()).put("ownerColor", room.ownerColor()),
        new DeliveryOptions());
  }

  /** A stored notice that a user was removed: their sockets leave the room when they see it. */
  void kicked(ChatMessage notice, String user) {
    toRoom(
        notice.room(),
        notice.toJson(),
        new DeliveryOptions().addHeader(CONTROL, KICKED).addHeader(USER, user));
  }

  /** A stored whisper: delivered only to the sockets of its sender and its recipient. */
  public void whisper(Whisper whisper) {
    toRoom(
        whisper.room(),
        whisper.toJson(),
        new DeliveryOptions()
            .addHeader(TO, whisper.to())
            .addHeader(FROM, whisper.user())
            .addHeader(ID, whisper.id()));
  }

  /**
   * Someone in the room is typing (or stopped): to the others in the room, never stored. The page
   * shows "… is typing" for a few seconds after the last such event.
   */
  public void typing(String roomId, Identity who, boolean typing) {
    JsonObject event =
        new JsonObject()
            .put("type", "typing")
            .put("room", roomId)
            .put("user", who.user())
            .put("color", who.color())
            .put("typing", typing);
    toRoom(roomId, event, new DeliveryOptions().addHeader(NOT_TO, who.user()));
  }

  private void toRoom(String roomId, JsonObject event, DeliveryOptions options) {
    Long seq = event.getLong("seq");
    if (seq != null && seq > 0) options.addHeader(SEQ, seq.toString());
    vertx.eventBus().publish(Addresses.room(roomId), event.encode(), options);
  }

  void ownerChanged(String roomId, String owner, String ownerColor) {
    toRoomList(
        new JsonObject()
            .put("type", "owner")
            .put("id", roomId)
            .put("owner", owner)
            .put("ownerColor", ownerColor));
  }

  void newRoom(Room room) {
    toRoomList(
        new JsonObject().put("type", "newRoom").put("room", room.toJson()).put("id", room.id()));
  }

  void removeRoom(String roomId) {
    toRoomList(new JsonObject().put("type", "removeRoom").put("id", roomId));
    vertx
        .eventBus()
        .publish(
            Addresses.room(roomId),
            new JsonObject().put("type", "removed").put("room", roomId).encode(),
            new DeliveryOptions().addHeader(CONTROL, REMOVED));
  }

  void count(String roomId, int count) {
    toRoomList(new JsonObject().put("type", "count").put("id", roomId).put("count", count));
  }

  private void toRoomList(JsonObject event) {
    vertx.eventBus().publish(Addresses.ROOM_LIST, event.encode());
  }
}
