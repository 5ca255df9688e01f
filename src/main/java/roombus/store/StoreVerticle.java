package roombus.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.Addresses;
import roombus.bus.LocalServices;
import roombus.metrics.HubMetrics;

/**
 * Persistence: the only verticle that talks to MongoDB. It exposes the repositories to the node's
 * other verticles on the {@code store.*} addresses ({@link LocalServices}), takes the appends other
 * nodes pass on for the rooms this node numbers, and hears of removals made through any node. It
 * pings the store every {@link #PING_EVERY_MS} and says so in the log when the store stops
 * answering, and when it is back ({@link StoreControl}).
 */
public final class StoreVerticle extends VerticleBase implements StoreControl {

  private static final Logger log = LoggerFactory.getLogger(StoreVerticle.class);
  private static final long PING_EVERY_MS = 5_000;
  private static final long PING_WITHIN_MS = 2_000;

  private final String connectionString;
  private final String nodeId;
  private final Supplier<List<String>> liveNodes;
  private MongoStores stores;
  private MessageConsumer<JsonObject> appendsOfOtherNodes;
  private HubMetrics metrics;
  private boolean up = true;
  private boolean pinging;

  public StoreVerticle(String connectionString, String nodeId, Supplier<List<String>> liveNodes) {
    this.connectionString = connectionString;
    this.nodeId = nodeId;
    this.liveNodes = liveNodes;
  }

  /** The store control of this node, reached over the event bus. */
  public static StoreControl control(io.vertx.core.Vertx vertx) {
    return LocalServices.proxy(vertx, Addresses.STORE_CONTROL, StoreControl.class);
  }

  @Override
  public Future<?> start() {
    metrics = HubMetrics.of(vertx);
    return MongoStores.open(vertx, connectionString)
        .compose(
            opened -> {
              stores = opened;
              metrics.storeUp(true);
              vertx.setPeriodic(PING_EVERY_MS, id -> watch());
              NumberedAppends chats = new NumberedAppends(vertx, stores.chats, nodeId, liveNodes);
              appendsOfOtherNodes = chats.takeAppendsOfOtherNodes();
              return Future.all(
                  List.of(
                      LocalServices.expose(
                          vertx, Addresses.STORE_ROOMS, RoomRepository.class, stores.rooms),
                      LocalServices.expose(
                          vertx,
                          Addresses.STORE_PRESENCE,
                          PresenceRepository.class,
                          stores.presence),
                      LocalServices.expose(vertx, Addresses.STORE_CHATS, ChatLog.class, chats),
                      LocalServices.expose(
                          vertx,
                          Addresses.STORE_SESSIONS,
                          SessionRepository.class,
                          stores.sessions),
                      LocalServices.expose(
                          vertx, Addresses.STORE_GIFS, GifRepository.class, stores.gifs),
                      LocalServices.expose(
                          vertx, Addresses.STORE_CONTROL, StoreControl.class, this),
                      appendsOfOtherNodes.completion(),
                      vertx
                          .eventBus()
                          .<JsonObject>consumer(
                              Addresses.STORE_REMOVALS,
                              msg ->
                                  stores.chats.removed(
                                      msg.body().getString("room"), msg.body().getString("user")))
                          .completion()));
            });
  }

  @Override
  public Future<Void> ping() {
    return stores
        .mongo
        .runCommand("ping", new JsonObject().put("ping", 1))
        .<Void>mapEmpty()
        .timeout(PING_WITHIN_MS, TimeUnit.MILLISECONDS);
  }

  /** One ping at a time: a store that does not answer is down until it answers again. */
  private void watch() {
    if (pinging) return;
    pinging = true;
    ping()
        .onComplete(
            result -> {
              pinging = false;
              boolean answered = result.succeeded();
              metrics.storeUp(answered);
              if (up && !answered)
                log.warn("event=store_unavailable reason=\"{}\"", result.cause().getMessage());
              if (!up && answered) log.info("event=store_available");
              up = answered;
            });
  }

  @Override
  public Future<Boolean> drain(long timeoutMs) {
    Future<Void> stopped =
        appendsOfOtherNodes == null ? Future.succeededFuture() : appendsOfOtherNodes.unregister();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    Promise<Boolean> drained = Promise.promise();
    stopped.onComplete(v -> awaitIdle(deadline, drained));
    return drained.future();
  }

  private void awaitIdle(long deadline, Promise<Boolean> drained) {
    if (stores.chats.idle()) {
      drained.complete(true);
    } else if (System.nanoTime() - deadline > 0) {
      drained.complete(false);
    } else {
      vertx.setTimer(10, id -> awaitIdle(deadline, drained));
    }
  }

  @Override
  public Future<?> stop() {
    return stores == null ? Future.succeededFuture() : stores.close();
  }
}
