package roombus;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.admin.AdminNode;
import roombus.bridge.BridgeHub;
import roombus.bridge.Fanout;
import roombus.bridge.TcpBridgeVerticle;
import roombus.chat.PostLimiter;
import roombus.cluster.ClusterConfig;
import roombus.cluster.Membership;
import roombus.embedded.EmbeddedMongo;
import roombus.guard.Guards;
import roombus.http.HttpVerticle;
import roombus.http.NodeDirectory;
import roombus.metrics.HubMetrics;
import roombus.ops.Drain;
import roombus.ops.NodeStatus;
import roombus.room.RoomService;
import roombus.room.RoomsVerticle;
import roombus.store.StoreVerticle;

/**
 * One node of the hub: its Vert.x instance (clustered or not, with its metrics), the embedded store
 * when no {@code MONGO_URI} is given, and the verticles: the HTTP edge once per core first (health
 * and metrics answer while the rest starts; the API says 503 until then), persistence (tried again
 * until the store answers), rooms and presence, and the TCP bridge once per core when {@code
 * TCP_BRIDGE_PORT} is set. Holds no business logic; it only composes, and takes the node down
 * ({@link #drain}, {@link #close}).
 */
public final class Hub {

  private static final Logger log = LoggerFactory.getLogger(Hub.class);
  private static final long STORE_RETRY_MS = 2_000;

  private final Vertx vertx;
  private final EmbeddedMongo embedded;
  private final HubConfig config;
  private final HubMetrics metrics;
  private final NodeStatus status;

  /** Set once {@link #close} begins; with {@link #storeAttempt}, guarded by {@code this}. */
  private boolean closing;

  /** The latest attempt to deploy the store verticle. */
  private Future<String> storeAttempt;

  private Hub(
      Vertx vertx,
      EmbeddedMongo embedded,
      HubConfig config,
      HubMetrics metrics,
      NodeStatus status) {
    this.vertx = vertx;
    this.embedded = embedded;
    this.config = config;
    this.metrics = metrics;
    this.status = status;
  }

  /** Starts a node. Opening the embedded store blocks briefly; call this from a plain thread. */
  public static Future<Hub> start(HubConfig config) {
    EmbeddedMongo embedded;
    try {
      embedded =
          config.mongoUri().isPresent()
              ? null
              : EmbeddedMongo.start(
                  config.dataDir(),
                  config.storePort() > 0 ? config.clusterHost() : "127.0.0.1",
                  config.storePort());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
    String mongoUri = config.mongoUri().orElseGet(() -> embedded.connectionString());
    HazelcastClusterManager clusterManager =
        config.cluster() ? new HazelcastClusterManager(ClusterConfig.load(config)) : null;
    HubMetrics metrics = HubMetrics.prometheus();
    JoiningHealth joining = clusterManager == null ? null : JoiningHealth.listen(config.httpPort());
    return buildVertx(config, clusterManager, metrics)
        .compose(
            vertx -> joining == null ? Future.succeededFuture(vertx) : joining.close().map(vertx))
        .onFailure(
            err -> {
              if (joining != null) joining.close();
            })
        .compose(
            vertx -> {
              metrics.attach(vertx);
              Membership membership =
                  clusterManager == null
                      ? Membership.standalone()
                      : Membership.clustered(
                          clusterManager, () -> RoomService.of(vertx).purgeDeadNodes());
              NodeStatus status =
                  new NodeStatus(
                          membership.nodeId(),
                          clusterManager == null
                              ? null
                              : () ->
                                  clusterManager.isActive()
                                      && membership.liveNodes().get().contains(membership.nodeId()))
                      .attach(vertx);
              Hub hub = new Hub(vertx, embedded, config, metrics, status);
              Promise<Hub> started = Promise.promise();
              hub.deploy(membership.nodeId(), mongoUri, membership.liveNodes())
                  .onComplete(
                      deployed -> {
                        if (deployed.succeeded()) started.complete(hub);
                        else hub.undeploy(deployed.cause(), started);
                      });
              return started.future();
            })
        .onFailure(
            err -> {
              if (embedded != null) embedded.close();
            });
  }

  /**
   * A deployment that failed (a port in use, the store out of reach): the node closes what it
   * started, then fails {@code started} with the cause. {@code started} has no context: a future of
   * this node's event loops is never completed once the loops are gone, so an answer on one of them
   * would leave the caller waiting for ever. Vert.x is closed from a plain thread, never from its
   * own event loop.
   */
  private void undeploy(Throwable cause, Promise<Hub> started) {
    log.error("Deployment failed", cause);
    new Thread(() -> close().onComplete(closed -> started.fail(cause)), "roombus-start-failed")
        .start();
  }

  private static Future<Vertx> buildVertx(
      HubConfig config, HazelcastClusterManager clusterManager, HubMetrics metrics) {
    // epoll where its native library loads (Linux x86-64), the JDK's selector elsewhere; as many
    // event loops as HTTP verticles, which the store's and the rooms' verticles share: a post then
    // crosses no thread between them (about 15% less CPU per delivery on two cores than with
    // Vert.x's default of two loops per core, docs/performance.md)
    VertxOptions options =
        metrics
            .vertxOptions(new VertxOptions())
            .setPreferNativeTransport(true)
            .setEventLoopPoolSize(config.httpInstances());
    var builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(metrics.registry()));
    if (clusterManager == null) return Future.succeededFuture(builder.with(options).build());
    options.setEventBusOptions(
        new EventBusOptions()
            .setHost(config.clusterHost())
            .setClusterPublicHost(config.clusterHost()));
    return builder.with(options).withClusterManager(clusterManager).buildClustered();
  }

  private Future<Void> deploy(String nodeId, String mongoUri, Supplier<List<String>> liveNodes) {
    Fanout fanout = new Fanout(vertx);
    PostLimiter limiter = new PostLimiter(config.postsPerSecond());
    Guards guards = Guards.create(vertx, config, liveNodes);
    vertx.setPeriodic(
        60_000,
        id -> {
          limiter.forgetIdle(Duration.ofMinutes(1));
          guards.forgetIdle();
        });
    NodeDirectory nodes = new NodeDirectory(vertx, nodeId, config.publicUrl(), liveNodes);
    return nodes
        .start()
        .compose(
            v ->
                vertx.deployVerticle(
                    () -> new HttpVerticle(config, fanout, limiter, guards, nodes),
                    new DeploymentOptions().setInstances(config.httpInstances())))
        .compose(id -> deployStore(mongoUri, nodeId, liveNodes))
        .compose(id -> vertx.deployVerticle(new RoomsVerticle(config, nodeId, liveNodes)))
        .compose(id -> vertx.deployVerticle(new AdminNode(config, nodeId, liveNodes)))
        .compose(
            id ->
                config.tcpBridgePort() == 0
                    ? Future.succeededFuture(id)
                    : vertx
                        .deployVerticle(
                            () -> new TcpBridgeVerticle(config, fanout, limiter, guards),
                            new DeploymentOptions().setInstances(config.httpInstances()))
                        .onSuccess(
                            tcp ->
                                log.info(
                                    "TCP event-bus bridge on port {}", config.tcpBridgePort())))
        .onSuccess(
            id -> {
              status.deployed(true);
              log.info(
                  "event=node_ready node={} url=http://localhost:{}/ store={} clustered={}"
                      + " transport={}",
                  nodeId,
                  config.httpPort(),
                  embedded != null ? "embedded:" + config.dataDir() : "MONGO_URI",
                  config.cluster(),
                  vertx.isNativeTransportEnabled() ? "epoll" : "nio");
            })
        .mapEmpty();
  }

  /**
   * The store verticle, deployed again every few seconds until the store answers (the node is not
   * ready meanwhile).
   */
  private Future<String> deployStore(
      String mongoUri, String nodeId, Supplier<List<String>> liveNodes) {
    Promise<String> deployed = Promise.promise();
    tryStore(mongoUri, nodeId, liveNodes, deployed, true);
    return deployed.future();
  }

  private void tryStore(
      String mongoUri,
      String nodeId,
      Supplier<List<String>> liveNodes,
      Promise<String> deployed,
      boolean first) {
    Future<String> attempt;
    synchronized (this) {
      if (closing) {
        deployed.fail("the node is closing");
        return;
      }
      attempt = storeAttempt = vertx.deployVerticle(new StoreVerticle(mongoUri, nodeId, liveNodes));
    }
    attempt
        .onSuccess(
            id -> {
              if (!first) log.info("event=store_available");
              deployed.complete(id);
            })
        .onFailure(
            err -> {
              if (status.draining() || isClosing()) {
                deployed.fail(err);
                return;
              }
              if (first)
                log.warn(
                    "event=store_unavailable at=start reason=\"{}\"; trying again every {} ms",
                    err.getMessage(),
                    STORE_RETRY_MS);
              vertx.setTimer(
                  STORE_RETRY_MS, t -> tryStore(mongoUri, nodeId, liveNodes, deployed, false));
            });
  }

  /**
   * While a clustered node joins its cluster (seconds), before its own Vert.x exists: a stand-in on
   * the HTTP port that says {@code /health/live} 200 and {@code /health/ready} 503 naming the
   * {@code cluster} check, and 503 to everything else. Closed before the HTTP verticles bind the
   * port.
   */
  private static final class JoiningHealth {
    private final Vertx vertx;
    private final Future<io.vertx.core.http.HttpServer> server;

    private JoiningHealth(Vertx vertx, Future<io.vertx.core.http.HttpServer> server) {
      this.vertx = vertx;
      this.server = server;
    }

    static JoiningHealth listen(int port) {
      Vertx vertx = Vertx.vertx();
      String live =
          "{\"status\":\"UP\",\"checks\":[{\"id\":\"http\",\"status\":\"UP\"}],\"outcome\":\"UP\"}";
      String ready =
          "{\"status\":\"DOWN\",\"checks\":[{\"id\":\"cluster\",\"status\":\"DOWN\",\"data\":{\"reason\":\"joining\"}},"
              + "{\"id\":\"verticles\",\"status\":\"DOWN\",\"data\":{\"reason\":\"starting\"}}],\"outcome\":\"DOWN\"}";
      Future<io.vertx.core.http.HttpServer> server =
          vertx
              .createHttpServer()
              .requestHandler(
                  req -> {
                    boolean isLive = "/health/live".equals(req.path());
                    String body =
                        isLive
                            ? live
                            : "/health/ready".equals(req.path())
                                ? ready
                                : "{\"error\":\"The node is starting\"}";
                    req.response()
                        .setStatusCode(isLive ? 200 : 503)
                        .putHeader("Content-Type", "application/json;charset=UTF-8")
                        .putHeader("Retry-After", "1")
                        .end(body);
                  })
              .listen(port);
      return new JoiningHealth(vertx, server);
    }

    /**
     * Frees the port (whether it could listen or not), then closes its Vert.x. The answer completes
     * on no context of the stand-in's Vert.x, which is going away.
     */
    Future<Void> close() {
      Promise<Void> freed = Promise.promise();
      server
          .transform(
              listening ->
                  listening.succeeded() ? listening.result().close() : Future.succeededFuture())
          .onComplete(
              done -> {
                freed.tryComplete();
                vertx.close();
              });
      return freed.future();
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  public HubMetrics metrics() {
    return metrics;
  }

  /**
   * A graceful stop's first part ({@link Drain}): not ready, no new connections, every client told
   * to reconnect elsewhere, store writes finished. The node still answers HTTP (health says 503).
   */
  public Future<Void> drain() {
    return Drain.run(
        vertx, BridgeHub.GOING_AWAY, BridgeHub.GOING_AWAY_REASON, config.drainTimeout());
  }

  private synchronized boolean isClosing() {
    return closing;
  }

  /** Stops the verticles and leaves the cluster, then flushes and closes the embedded store. */
  public Future<Void> close() {
    metrics.stop();
    Future<?> attempt;
    synchronized (this) {
      closing = true;
      attempt = storeAttempt == null ? Future.succeededFuture() : storeAttempt;
    }
    // an attempt to reach the store still under way holds a client of its own: it ends (closing
    // that client when it fails) before the event loops that client uses go away. Vert.x is closed
    // from this thread, or a plain one, never from one of its own event loops (it would wait for
    // itself).
    Future<Void> vertxClosed;
    if (attempt.isComplete()) {
      vertxClosed = vertx.close();
    } else {
      Promise<Void> closed = Promise.promise();
      attempt
          .toCompletionStage()
          .whenCompleteAsync((ignored, failure) -> vertx.close().onComplete(closed));
      vertxClosed = closed.future();
    }
    return vertxClosed.eventually(
        () -> {
          if (embedded != null) embedded.close();
          return Future.succeededFuture();
        });
  }
}
