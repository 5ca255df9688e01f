package roombus.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Closes an HTTP connection that has not delivered a complete request head within the header
 * timeout: after it opened, or, kept alive, after its last answer ended. A slowloris client (a
 * header byte every few seconds, on many connections) would otherwise hold its connections for
 * ever. Only the time to send a head counts: a request being answered (a long SockJS poll or
 * stream) has no timer, and an upgraded websocket is forgotten, so the node's idle websockets cost
 * nothing here.
 *
 * <p>One per HTTP verticle instance: {@link #opened} is the server's connection handler, and this
 * is the router's first handler. Both run on the instance's event loop, as do the timers, so the
 * map needs no lock. Needs HTTP/1.x from the first byte: with h2c on, Vert.x reports a connection
 * only once its first request head has arrived.
 */
final class HeaderTimeout implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final long timeoutMs;

  /** The connections this instance watches: HTTP ones, not websockets. */
  private final Map<HttpConnection, Watch> watched = new HashMap<>();

  HeaderTimeout(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeoutMs = timeout.toMillis();
  }

  /** A connection opened: its first request head is due within the timeout. */
  void opened(HttpConnection connection) {
    Watch watch = new Watch(connection);
    watch(watch);
    watch.arm();
  }

  /** A request head arrived: no timer until its answer has ended. */
  @Override
  public void handle(RoutingContext ctx) {
    Watch watch = watched.get(ctx.request().connection());
    if (watch != null) {
      watch.requestArrived();
      if (ctx.request().canUpgradeToWebSocket()) {
        // a websocket is done with request heads; once upgraded, Vert.x reports neither the end
        // of this answer nor the close of the connection, so it is forgotten now (nothing of it
        // is kept), and watched again only if the upgrade was refused with an answer
        watched.remove(watch.connection);
        watch.connection.closeHandler(null);
        ctx.addEndHandler(
            answered -> {
              if (answered.succeeded() && ctx.response().getStatusCode() != 101) {
                watch(watch);
                watch.answered();
              }
            });
      } else {
        ctx.addEndHandler(answered -> watch.answered());
      }
    }
    ctx.next();
  }

  private void watch(Watch watch) {
    watched.put(watch.connection, watch);
    watch.connection.closeHandler(v -> forget(watch));
  }

  private void forget(Watch watch) {
    watched.remove(watch.connection, watch);
    watch.cancel();
  }

  /** One connection: its requests being answered, and its timer while it waits for a head. */
  private final class Watch {
    private final HttpConnection connection;
    private int answering;
    private long timer = -1;

    Watch(HttpConnection connection) {
      this.connection = connection;
    }

    void requestArrived() {
      answering++;
      cancel();
    }

    /** An answer ended (or its connection closed): with none left, the next head is due. */
    void answered() {
      if (answering > 0) answering--;
      if (answering == 0 && watched.get(connection) == this) arm();
    }

    void arm() {
      cancel();
      timer =
          vertx.setTimer(
              timeoutMs,
              id -> {
                timer = -1;
                watched.remove(connection, this);
                connection.close();
              });
    }

    void cancel() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }
}
