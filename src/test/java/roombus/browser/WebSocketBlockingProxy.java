package roombus.browser;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.Set;
import roombus.TestHub;

/**
 * A hostile proxy in front of the hub: it forwards plain HTTP (streaming responses too) and refuses
 * every websocket upgrade with 403, until {@link #allowWebSockets} is set — then it relays them.
 */
final class WebSocketBlockingProxy implements AutoCloseable {

  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "transfer-encoding", "keep-alive", "upgrade", "host", "content-length");

  volatile boolean allowWebSockets;
  final int port;
  private final Vertx vertx;
  private final HttpServer server;

  WebSocketBlockingProxy(int targetPort) {
    vertx = Vertx.vertx();
    HttpClient http = vertx.createHttpClient();
    WebSocketClient websockets = vertx.createWebSocketClient();
    port = TestHub.freePort();
    server =
        TestHub.await(
            vertx
                .createHttpServer()
                .requestHandler(
                    request -> {
                      if ("websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
                        if (!allowWebSockets) {
                          request
                              .response()
                              .setStatusCode(403)
                              .end("websockets are not allowed through this proxy");
                        } else {
                          relayWebSocket(request, websockets, targetPort);
                        }
                        return;
                      }
                      forward(request, http, targetPort);
                    })
                .listen(port, "127.0.0.1"),
            java.time.Duration.ofSeconds(10));
  }

  String base() {
    return "http://127.0.0.1:" + port + "/";
  }

  private static void forward(HttpServerRequest request, HttpClient http, int targetPort) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    request
        .headers()
        .forEach(
            (k, v) -> {
              if (!HOP_BY_HOP.contains(k.toLowerCase())) headers.add(k, v);
            });
    request
        .body()
        .compose(
            body ->
                http.request(
                        new RequestOptions()
                            .setMethod(request.method())
                            // to the hub, but with the Host the browser sent, as proxies do
                            .setServer(
                                io.vertx.core.net.SocketAddress.inetSocketAddress(
                                    targetPort, "127.0.0.1"))
                            .setHost(request.authority().host())
                            .setPort(request.authority().port())
                            .setURI(request.uri())
                            .setHeaders(headers)
                            .setIdleTimeout(0))
                    .compose(out -> out.send(body)))
        .onSuccess(
            answer -> {
              var response = request.response().setStatusCode(answer.statusCode());
              answer
                  .headers()
                  .forEach(
                      (k, v) -> {
                        if (!HOP_BY_HOP.contains(k.toLowerCase())) response.headers().add(k, v);
                      });
              String length = answer.getHeader(HttpHeaders.CONTENT_LENGTH);
              if (length != null) response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
              else response.setChunked(true);
              answer.pipeTo(response);
            })
        .onFailure(err -> request.response().setStatusCode(502).end());
  }

  private static void relayWebSocket(
      HttpServerRequest request, WebSocketClient websockets, int targetPort) {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(targetPort)
            .setURI(request.uri());
    String cookie = request.getHeader(HttpHeaders.COOKIE);
    if (cookie != null) options.addHeader(HttpHeaders.COOKIE, cookie);
    request
        .toWebSocket()
        .compose(
            inbound ->
                websockets
                    .connect(options)
                    .map(
                        outbound -> {
                          inbound.frameHandler(outbound::writeFrame);
                          outbound.frameHandler(inbound::writeFrame);
                          inbound.closeHandler(v -> outbound.close());
                          outbound.closeHandler(v -> inbound.close());
                          return outbound;
                        })
                    .recover(err -> inbound.close().transform(x -> Future.failedFuture(err))));
  }

  @Override
  public void close() {
    TestHub.await(vertx.close(), java.time.Duration.ofSeconds(10));
  }
}
