package roombus.bench;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;

import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SockJS xhr-polling, as {@code sockjs-client} speaks it when websockets are blocked: one long poll
 * ({@code POST …/xhr}) always waiting for the hub's frames, and one send ({@code POST …/xhr_send}) at a
 * time carrying every frame queued meanwhile. Each request carries the user's session cookie, on a
 * connection of its own (the hub's SockJS closes the connection after each poll answer).
 */
final class XhrPollingLink implements BenchLink {

  /** Frames waiting for the next send, at most; beyond, the generator counts backpressure. */
  private static final int MAX_QUEUED = 1000;

  private final BenchNode node;
  private final String cookie;
  private final String base;
  private final ArrayDeque<String> outbox = new ArrayDeque<>();
  private Handler<Buffer> frames;
  private Runnable closed;
  private boolean open;
  private boolean sending;

  XhrPollingLink(BenchNode node, String sid) {
    this.node = node;
    this.cookie = "roombus.sid=" + sid;
    this.base = node.prefix + "/eventbus/" + String.format("%03d", ThreadLocalRandom.current().nextInt(1000)) + "/"
        + UUID.randomUUID() + "/";
  }

  @Override
  public Future<Void> open(Handler<Buffer> frames, Runnable closed) {
    this.frames = frames;
    this.closed = closed;
    return post("xhr", null).compose(body -> {
      if (!body.startsWith("o")) return Future.failedFuture("sockjs_open");
      open = true;
      poll();
      return Future.succeededFuture();
    });
  }

  private void poll() {
    if (!open) return;
    post("xhr", null).onComplete(ar -> {
      if (ar.failed() || ar.result().startsWith("c")) {
        end();
        return;
      }
      String body = ar.result();
      if (body.startsWith("a")) {
        for (Object frame : new JsonArray(body.substring(1))) frames.handle(Buffer.buffer((String) frame));
      }
      poll(); // "h" (heartbeat) or frames: ask again at once
    });
  }

  @Override
  public boolean write(String frame) {
    if (!open || outbox.size() >= MAX_QUEUED) return false;
    outbox.add(frame);
    if (!sending) send();
    return true;
  }

  private void send() {
    if (outbox.isEmpty() || !open) {
      sending = false;
      return;
    }
    sending = true;
    JsonArray batch = new JsonArray();
    while (!outbox.isEmpty()) batch.add(outbox.poll());
    post("xhr_send", batch.encode()).onComplete(ar -> {
      if (ar.failed()) end();
      else send();
    });
  }

  private Future<String> post(String what, String body) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(node.host).setPort(node.port)
        .setURI(base + what).setTimeout(60_000).addHeader("Cookie", cookie);
    if (body != null) options.addHeader("Content-Type", "text/plain");
    return node.pollingHttp.request(options)
        .compose(req -> req.send(body == null ? "" : body)) // a sized body, as browsers send: never chunked
        .compose(resp -> resp.body().compose(bytes -> resp.statusCode() / 100 == 2
            ? Future.succeededFuture(bytes.toString().trim())
            : Future.failedFuture("http_" + resp.statusCode())));
  }

  private void end() {
    if (!open) return;
    open = false;
    outbox.clear();
    closed.run();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public Future<Void> close() {
    open = false; // the hub ends the SockJS session when no poll comes for its timeout
    outbox.clear();
    return Future.succeededFuture();
  }
}
