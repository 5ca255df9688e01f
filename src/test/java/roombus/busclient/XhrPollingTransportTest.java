package roombus.busclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static roombus.busclient.Waiting.await;
import static roombus.busclient.Waiting.until;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName(
    "Over SockJS xhr-polling, one poll always waits and sends are batched as sockjs-client batches them")
class XhrPollingTransportTest {

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<List<Object>> sends = new CopyOnWriteArrayList<>();
  private final Queue<HttpServerResponse> waitingPolls = new ConcurrentLinkedQueue<>();

  /**
   * A stand-in for the hub's SockJS: opens the session, holds every later poll until the test
   * answers it, and answers the first xhr_send only after a moment, so that frames queue behind it.
   */
  private int listen(Vertx vertx) throws Exception {
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              String path = req.path();
                              requests.add(
                                  req.method()
                                      + " "
                                      + path.replaceAll(
                                          "/\\d{3}/[0-9a-f]{32}/", "/<server>/<session>/")
                                      + " "
                                      + req.getHeader("Cookie"));
                              HttpServerResponse response = req.response();
                              if (path.endsWith("/xhr") && requests.size() == 1) {
                                response.end("o\n");
                              } else if (path.endsWith("/xhr")) {
                                waitingPolls.add(response);
                              } else {
                                sends.add(new JsonArray(body.toString()).getList());
                                if (sends.size() == 1)
                                  vertx.setTimer(300, id -> response.setStatusCode(204).end());
                                else response.setStatusCode(204).end();
                              }
                            }));
    return await(server.listen(0, "127.0.0.1")).actualPort();
  }

  @Test
  @DisplayName(
      "frames written while a send is on its way go together in the next send; a poll answer a[...] delivers frames, c[...] ends the session")
  void batchingPollingClosing(Vertx vertx) throws Exception {
    int port = listen(vertx);
    BusClient bus =
        await(BusClient.xhrPolling(vertx, HubUrl.of("http://127.0.0.1:" + port), "s-1"));
    List<String> received = new CopyOnWriteArrayList<>();
    List<String> events = new CopyOnWriteArrayList<>();
    bus.frameHandler(f -> received.add(f.encode())).closeHandler(v -> events.add("closed"));

    var first = bus.write("{\"n\":1}");
    var second = bus.write("{\"n\":2}");
    var third = bus.write("{\"n\":3}");
    await(third);

    assertThat(first.succeeded() && second.succeeded()).isTrue();
    assertThat(sends).containsExactly(List.of("{\"n\":1}"), List.of("{\"n\":2}", "{\"n\":3}"));
    assertThat(requests).first().isEqualTo("POST /eventbus/<server>/<session>/xhr roombus.sid=s-1");
    assertThat(requests).contains("POST /eventbus/<server>/<session>/xhr_send roombus.sid=s-1");

    assertThat(until(() -> !waitingPolls.isEmpty())).isTrue();
    waitingPolls
        .poll()
        .end(
            "a[\"{\\\"type\\\":\\\"rec\\\",\\\"address\\\":\\\"chat.rooms\\\",\\\"body\\\":{}}\"]\n");
    assertThat(until(() -> received.size() == 1)).isTrue();
    assertThat(received)
        .containsExactly("{\"type\":\"rec\",\"address\":\"chat.rooms\",\"body\":{}}");

    assertThat(until(() -> !waitingPolls.isEmpty())).isTrue();
    waitingPolls.poll().end("c[3000,\"Go away!\"]\n");
    assertThat(until(() -> events.contains("closed"))).isTrue();
    assertThat(bus.isOpen()).isFalse();
    assertThatThrownBy(() -> await(bus.write("{\"n\":4}"))).hasMessageContaining("closed");
  }
}
