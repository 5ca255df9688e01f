package roombus.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;

import java.net.URI;

/** One hub node under test: its base URL, an HTTP client (a pool of keep-alive connections) and a websocket client. */
final class BenchNode {

  final String base;
  final String host;
  final int port;
  /** The path the hub is served under, without a trailing slash ("" at the root). */
  final String prefix;
  final HttpClient http;
  final WebSocketClient ws;

  /**
   * For SockJS xhr-polling: no keep-alive, since vertx-web's SockJS closes the connection after each poll
   * answer (a pooled connection would race that close); room for a poll and a send per socket.
   */
  final HttpClient pollingHttp;

  BenchNode(Vertx vertx, String base, int concurrency, int sockets, boolean polling) {
    URI uri = URI.create(base);
    this.base = base;
    this.host = uri.getHost();
    this.port = uri.getPort() > 0 ? uri.getPort() : 80;
    String path = uri.getPath() == null ? "" : uri.getPath();
    this.prefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000),
        new PoolOptions().setHttp1MaxSize(Math.max(8, concurrency)).setMaxWaitQueueSize(-1));
    this.pollingHttp = !polling ? null : vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setConnectTimeout(10_000),
        new PoolOptions().setHttp1MaxSize(2 * sockets + 8).setMaxWaitQueueSize(-1));
    this.ws = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(sockets + 16)
        .setConnectTimeout(10_000)
        .setMaxFrameSize(64 * 1024)
        .setMaxMessageSize(64 * 1024));
  }

  /**
   * A JSON request as {@code user} (with their cookie, keeping any new one the hub sets); fails with
   * {@code http_<status>} unless the status is 2xx.
   */
  Future<JsonObject> request(BenchUser user, HttpMethod method, String path, JsonObject body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(prefix + path)
        .setTimeout(30_000);
    if (user.sid != null) options.addHeader("Cookie", "roombus.sid=" + user.sid);
    if (body != null) options.addHeader("Content-Type", "application/json");
    return http.request(options)
        .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
        .compose(resp -> {
          for (String cookie : resp.cookies()) {
            if (cookie.startsWith("roombus.sid=")) user.sid = cookie.substring("roombus.sid=".length()).split(";", 2)[0];
          }
          return resp.body().compose(bytes -> resp.statusCode() / 100 == 2
              ? Future.succeededFuture(bytes.length() == 0 ? new JsonObject() : bytes.toJsonObject())
              : Future.failedFuture("http_" + resp.statusCode()));
        });
  }

  Future<Void> close() {
    return Future.join(http.close(), ws.close(), pollingHttp == null ? Future.succeededFuture() : pollingHttp.close()).mapEmpty();
  }
}
