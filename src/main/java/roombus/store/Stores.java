package roombus.store;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import roombus.Addresses;
import roombus.bus.LocalServices;

/**
 * The repositories as any verticle of the node reaches them: proxies to the {@link StoreVerticle}.
 */
public record Stores(
    RoomRepository rooms,
    PresenceRepository presence,
    ChatLog chats,
    SessionRepository sessions,
    GifRepository gifs) {

  public static Stores of(Vertx vertx) {
    return new Stores(
        LocalServices.proxy(vertx, Addresses.STORE_ROOMS, RoomRepository.class),
        LocalServices.proxy(vertx, Addresses.STORE_PRESENCE, PresenceRepository.class),
        LocalServices.proxy(vertx, Addresses.STORE_CHATS, ChatLog.class),
        LocalServices.proxy(vertx, Addresses.STORE_SESSIONS, SessionRepository.class),
        LocalServices.proxy(vertx, Addresses.STORE_GIFS, GifRepository.class));
  }

  /**
   * Tells every node's chat log that the owner removed a user from a room: their posts stop at
   * once.
   */
  public static void announceRemoval(Vertx vertx, String roomId, String user) {
    vertx
        .eventBus()
        .publish(Addresses.STORE_REMOVALS, new JsonObject().put("room", roomId).put("user", user));
  }
}
