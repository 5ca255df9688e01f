package roombus;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.bridge.Fanout;
import roombus.bridge.TcpBridgeVerticle;
import roombus.chat.PostLimiter;
import roombus.cluster.ClusterConfig;
import roombus.cluster.Membership;
import roombus.embedded.EmbeddedMongo;
import roombus.http.HttpVerticle;
import roombus.room.RoomService;
import roombus.room.RoomsVerticle;
import roombus.store.StoreVerticle;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * One node of the hub: its Vert.x instance (clustered or not), the embedded store when no
 * {@code MONGO_URI} is given, and the verticles: persistence, rooms and presence, the HTTP edge once
 * per core, and the TCP bridge once per core when {@code TCP_BRIDGE_PORT} is set. Holds no business
 * logic; it only composes.
 */
public final class Hub {

  private static final Logger log = LoggerFactory.getLogger(Hub.class);

  private final Vertx vertx;
  private final EmbeddedMongo embedded;

  private Hub(Vertx vertx, EmbeddedMongo embedded) {
    this.vertx = vertx;
    this.embedded = embedded;
  }

  /** Starts a node. Opening the embedded store blocks briefly; call this from a plain thread. */
  public static Future<Hub> start(HubConfig config) {
    EmbeddedMongo embedded;
    try {
      embedded = config.mongoUri().isPresent() ? null
          : EmbeddedMongo.start(config.dataDir(), config.storePort() > 0 ? config.clusterHost() : "127.0.0.1", config.storePort());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
    String mongoUri = config.mongoUri().orElseGet(() -> embedded.connectionString());
    HazelcastClusterManager clusterManager = config.cluster() ? new HazelcastClusterManager(ClusterConfig.load(config)) : null;
    return buildVertx(config, clusterManager)
        .compose(vertx -> {
          Membership membership = clusterManager == null ? Membership.standalone() : Membership.clustered(clusterManager, () -> RoomService.of(vertx).purgeDeadNodes());
          Hub hub = new Hub(vertx, embedded);
          return hub.deploy(config, membership.nodeId(), mongoUri, membership.liveNodes()).map(hub)
              .recover(err -> {
                log.error("Deployment failed", err);
                return hub.close().transform(ignored -> Future.failedFuture(err));
              });
        })
        .onFailure(err -> {
          if (embedded != null) embedded.close();
        });
  }

  private static Future<Vertx> buildVertx(HubConfig config, HazelcastClusterManager clusterManager) {
    VertxOptions options = new VertxOptions();
    if (clusterManager == null) return Future.succeededFuture(Vertx.vertx(options));
    options.setEventBusOptions(new EventBusOptions()
        .setHost(config.clusterHost())
        .setClusterPublicHost(config.clusterHost()));
    return Vertx.builder().with(options).withClusterManager(clusterManager).buildClustered();
  }

  private Future<Void> deploy(HubConfig config, String nodeId, String mongoUri, Supplier<List<String>> liveNodes) {
    Fanout fanout = new Fanout(vertx);
    PostLimiter limiter = new PostLimiter(config.postsPerSecond());
    vertx.setPeriodic(60_000, id -> limiter.forgetIdle(Duration.ofMinutes(1)));
    return vertx.deployVerticle(new StoreVerticle(mongoUri, nodeId, liveNodes))
        .compose(id -> vertx.deployVerticle(new RoomsVerticle(config, nodeId, liveNodes)))
        .compose(id -> vertx.deployVerticle(() -> new HttpVerticle(config, fanout, limiter),
            new DeploymentOptions().setInstances(config.httpInstances())))
        .compose(id -> config.tcpBridgePort() == 0 ? Future.succeededFuture(id)
            : vertx.deployVerticle(() -> new TcpBridgeVerticle(config, fanout, limiter),
                new DeploymentOptions().setInstances(config.httpInstances()))
                .onSuccess(tcp -> log.info("TCP event-bus bridge on port {}", config.tcpBridgePort())))
        .onSuccess(id -> log.info("roombus node {} serving http://localhost:{}/ (store: {})", nodeId,
            config.httpPort(), embedded != null ? "embedded, " + config.dataDir() : "MONGO_URI"))
        .mapEmpty();
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Stops the verticles, then flushes and closes the embedded store. */
  public Future<Void> close() {
    return vertx.close().eventually(() -> {
      if (embedded != null) embedded.close();
      return Future.succeededFuture();
    });
  }
}
