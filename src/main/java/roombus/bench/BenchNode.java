package roombus.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import roombus.busclient.BusClient;
import roombus.busclient.HubUrl;
import roombus.busclient.WebSocketTransport;
import roombus.busclient.XhrPollingTransport;

/**
 * One server under test, and the Vert.x clients every simulated user of it shares: for a roombus
 * node an HTTP client (a pool of keep-alive connections) for the JSON API, and a websocket client
 * or a polling HTTP client for the bridge; for the Socket.IO peer only the websocket client.
 */
final class BenchNode {

  final HubUrl hub;
  final HttpClient http;
  final WebSocketClient ws;

  /** For SockJS xhr-polling: room for a poll and a send per socket. */
  private final HttpClient pollingHttp;

  BenchNode(Vertx vertx, String base, int concurrency, int sockets, boolean polling) {
    this.hub = HubUrl.of(base);
    this.http =
        vertx.createHttpClient(
            // A connection idle in the pool is let go after 5 s: the hub closes one that brings no
            // request head for HEADER_TIMEOUT_MS (10 s by default), and a request sent on it just
            // then fails with "Connection was closed" (the few set-up failures of large runs).
            // A request waits for a pooled connection without a timer (HubUrl.request); a set-up
            // step
            // has SetupLanes.PATIENCE_MS.
            new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(5)
                .setConnectTimeout(60_000),
            new PoolOptions().setHttp1MaxSize(Math.max(8, concurrency)).setMaxWaitQueueSize(-1));
    this.pollingHttp =
        !polling
            ? null
            : vertx.createHttpClient(
                XhrPollingTransport.httpClientOptions(),
                new PoolOptions().setHttp1MaxSize(2 * sockets + 8).setMaxWaitQueueSize(-1));
    this.ws =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxConnections(sockets + 16)
                .setConnectTimeout(10_000)
                .setMaxFrameSize(64 * 1024)
                .setMaxMessageSize(64 * 1024));
  }

  /** A bridge connection as the session {@code sid}, on the caller's event loop. */
  Future<BusClient> connect(Vertx vertx, String sid, boolean polling) {
    return polling
        ? XhrPollingTransport.open(pollingHttp, hub, sid)
            .map(transport -> BusClient.over(vertx, transport))
        : WebSocketTransport.connect(ws, hub, sid)
            .map(transport -> BusClient.over(vertx, transport));
  }

  Future<Void> close() {
    return Future.join(
            http.close(),
            ws.close(),
            pollingHttp == null ? Future.succeededFuture() : pollingHttp.close())
        .mapEmpty();
  }
}
