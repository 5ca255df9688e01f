package roombus.store;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Supplier;
import roombus.Addresses;
import roombus.bus.LocalServices;

/**
 * Persistence: the only verticle that talks to MongoDB. It exposes the repositories to the node's other
 * verticles on the {@code store.*} addresses ({@link LocalServices}), takes the appends other nodes
 * pass on for the rooms this node numbers, and hears of removals made through any node.
 */
public final class StoreVerticle extends VerticleBase {

  private final String connectionString;
  private final String nodeId;
  private final Supplier<List<String>> liveNodes;
  private MongoStores stores;

  public StoreVerticle(String connectionString, String nodeId, Supplier<List<String>> liveNodes) {
    this.connectionString = connectionString;
    this.nodeId = nodeId;
    this.liveNodes = liveNodes;
  }

  @Override
  public Future<?> start() {
    return MongoStores.open(vertx, connectionString)
        .compose(
            opened -> {
              stores = opened;
              NumberedAppends chats = new NumberedAppends(vertx, stores.chats, nodeId, liveNodes);
              return Future.all(
                  List.of(
                      LocalServices.expose(vertx, Addresses.STORE_ROOMS, RoomRepository.class, stores.rooms),
                      LocalServices.expose(vertx, Addresses.STORE_PRESENCE, PresenceRepository.class, stores.presence),
                      LocalServices.expose(vertx, Addresses.STORE_CHATS, ChatLog.class, chats),
                      LocalServices.expose(vertx, Addresses.STORE_SESSIONS, SessionRepository.class, stores.sessions),
                      LocalServices.expose(vertx, Addresses.STORE_GIFS, GifRepository.class, stores.gifs),
                      chats.takeAppendsOfOtherNodes().completion(),
                      vertx
                          .eventBus()
                          .<JsonObject>consumer(
                              Addresses.STORE_REMOVALS,
                              msg -> stores.chats.removed(msg.body().getString("room"), msg.body().getString("user")))
                          .completion()));
            });
  }

  @Override
  public Future<?> stop() {
    return stores == null ? Future.succeededFuture() : stores.close();
  }
}
