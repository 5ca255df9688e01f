package roombus.ops;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.store.StoreVerticle;

/**
 * A graceful stop, in order: the node turns not-ready ({@code /health/ready} 503) and opens no new
 * connection; every bridge connection stops taking posts, gets the answers of the posts it took,
 * and is closed with the "going away: reconnect" code; the store writes in flight (this node's, and
 * those other nodes passed on to it) are finished. Then the caller leaves the cluster and exits
 * ({@code Hub.close}).
 */
public final class Drain {

  private static final Logger log = LoggerFactory.getLogger(Drain.class);

  private Drain() {}

  /** Drains the node of {@code vertx}; completes when it may leave the cluster. Never fails. */
  public static Future<Void> run(Vertx vertx, int code, String reason, Duration timeout) {
    NodeStatus status = NodeStatus.of(vertx);
    if (status.draining()) return Future.succeededFuture();
    status.startDraining();
    long started = System.nanoTime();
    log.info("event=node_draining node={}", status.nodeId());
    Future<Void> connections =
        Future.join(status.drainables().stream().map(d -> d.drain(code, reason)).toList())
            .<Void>mapEmpty()
            .timeout(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS)
            .recover(
                err -> {
                  log.warn("event=drain_connections_late reason=\"{}\"", err.getMessage());
                  return Future.succeededFuture();
                });
    return connections
        .compose(v -> StoreVerticle.control(vertx).drain(timeout.toMillis()))
        .recover(
            err -> {
              log.warn("event=drain_store_failed reason=\"{}\"", err.getMessage());
              return Future.succeededFuture(false);
            })
        .map(
            stored -> {
              log.info(
                  "event=node_drained node={} store_writes_finished={} ms={}",
                  status.nodeId(),
                  stored,
                  TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
              return null;
            });
  }
}
