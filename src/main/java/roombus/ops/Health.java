package roombus.ops;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import roombus.store.StoreControl;
import roombus.store.StoreVerticle;

/**
 * {@code GET /health/live}: the process serves HTTP (always 200 while it does). {@code GET
 * /health/ready}: 200 when the node should get traffic, else 503 with every check and which failed:
 * {@code store} (the store answers a ping), {@code cluster} (clustered nodes: this node is a
 * member), {@code verticles} (all deployed), {@code draining} (the node is not shutting down).
 */
public final class Health {

  private static final long CHECK_WITHIN_MS = 3_000;

  private Health() {}

  public static void mount(Vertx vertx, Router router) {
    NodeStatus status = NodeStatus.of(vertx);
    StoreControl store = StoreVerticle.control(vertx);

    HealthChecks live =
        HealthChecks.create(vertx).register("http", promise -> promise.complete(Status.OK()));
    HealthChecks ready =
        HealthChecks.create(vertx)
            .register(
                "verticles",
                promise ->
                    promise.complete(
                        status.deployed()
                            ? Status.OK()
                            : Status.KO(new JsonObject().put("reason", "starting"))))
            .register(
                "store",
                CHECK_WITHIN_MS,
                promise ->
                    store
                        .ping()
                        .onSuccess(v -> promise.complete(Status.OK()))
                        .onFailure(
                            err ->
                                promise.complete(
                                    Status.KO(
                                        new JsonObject()
                                            .put("reason", String.valueOf(err.getMessage()))))))
            .register(
                "draining",
                promise ->
                    promise.complete(
                        status.draining()
                            ? Status.KO(new JsonObject().put("reason", "draining"))
                            : Status.OK()));
    if (status.clustered()) {
      ready.register(
          "cluster",
          promise ->
              promise.complete(
                  status.inCluster()
                      ? Status.OK(new JsonObject().put("node", status.nodeId()))
                      : Status.KO(new JsonObject().put("reason", "not a member of the cluster"))));
    }
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(live));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
  }
}
