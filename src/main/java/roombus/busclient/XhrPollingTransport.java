package roombus.busclient;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * SockJS xhr-polling, as {@code sockjs-client} speaks it when websockets are blocked: one long poll
 * ({@code POST /eventbus/<server>/<session>/xhr}) always waiting for the hub's frames, and one send
 * ({@code POST …/xhr_send}) at a time, carrying every frame queued while the previous one was on
 * its way. Every request carries the session cookie.
 *
 * <p>The hub's SockJS closes the connection after each poll answer, so the {@link HttpClient}
 * should not keep connections alive (a pooled connection would race that close) and should allow a
 * poll and a send per transport at once: {@link #httpClientOptions()}.
 */
public final class XhrPollingTransport implements BusTransport {

  /**
   * Frames waiting for the next send, at most; beyond, {@link #writeQueueFull()} and writes fail.
   */
  static final int MAX_QUEUED = 1000;

  /** A poll is held by the hub until it has frames or a heartbeat (25 s) is due. */
  private static final long REQUEST_TIMEOUT_MS = 60_000;

  private final HttpClient http;
  private final Supplier<HubUrl> nodes;
  private final String cookie;

  /**
   * {@code eventbus/<server>/<session>/}: the server part is any three digits, the session any
   * unique id.
   */
  private final String session;

  private final ArrayDeque<String> outbox = new ArrayDeque<>();

  /** Completes when the send carrying the frames queued now is answered. */
  private Promise<Void> nextSend;

  private Handler<Buffer> frameHandler = frame -> {};
  private Handler<Void> closeHandler = v -> {};
  private boolean open;
  private boolean sending;
  private int closeCode = -1;
  private String closeReason;

  private XhrPollingTransport(HttpClient http, Supplier<HubUrl> nodes, String sid) {
    this.http = http;
    this.nodes = nodes;
    this.cookie = sid == null ? null : HubHttp.SESSION_COOKIE + "=" + sid;
    this.session =
        "eventbus/"
            + (100 + ThreadLocalRandom.current().nextInt(900))
            + "/"
            + UUID.randomUUID().toString().replace("-", "")
            + "/";
  }

  /** Settings for the HTTP client of polling transports (see the class comment). */
  public static HttpClientOptions httpClientOptions() {
    return new HttpClientOptions().setKeepAlive(false).setConnectTimeout(10_000);
  }

  /**
   * Opens a SockJS session on the hub at {@code hub} as the session {@code sid} (null for none).
   */
  public static Future<XhrPollingTransport> open(HttpClient http, HubUrl hub, String sid) {
    return open(http, () -> hub, sid);
  }

  /**
   * Opens a SockJS session whose every request goes to the node {@code nodes} names then: nodes of
   * one cluster share sessions, so a rotation plays a load balancer without sticky sessions.
   */
  public static Future<XhrPollingTransport> open(
      HttpClient http, Supplier<HubUrl> nodes, String sid) {
    XhrPollingTransport transport = new XhrPollingTransport(http, nodes, sid);
    return transport
        .post("xhr", null)
        .compose(
            answer -> {
              if (SockJsFrames.decode(answer, frame -> {}) != SockJsFrames.Kind.OPEN)
                return Future.failedFuture("sockjs_open");
              transport.open = true;
              transport.poll();
              return Future.succeededFuture(transport);
            });
  }

  private void poll() {
    if (!open) return;
    post("xhr", null)
        .onComplete(
            ar -> {
              if (!open) return;
              if (ar.failed() || received(ar.result()) == SockJsFrames.Kind.CLOSE) {
                end();
              } else {
                poll(); // frames or a heartbeat: ask again at once
              }
            });
  }

  private SockJsFrames.Kind received(String answer) {
    try {
      SockJsFrames.Kind kind =
          SockJsFrames.decode(answer, frame -> frameHandler.handle(Buffer.buffer(frame)));
      if (kind == SockJsFrames.Kind.CLOSE) {
        io.vertx.core.json.JsonArray close = SockJsFrames.closeOf(answer);
        if (close != null && close.getValue(0) instanceof Number code) closeCode = code.intValue();
        if (close != null && close.size() > 1) closeReason = String.valueOf(close.getValue(1));
      }
      return kind;
    } catch (RuntimeException e) {
      return SockJsFrames.Kind.CLOSE; // not SockJS: nothing more can be trusted on this session
    }
  }

  @Override
  public Future<Void> write(String frame) {
    if (!open) return Future.failedFuture("closed");
    if (outbox.size() >= MAX_QUEUED) return Future.failedFuture("queue_full");
    outbox.add(frame);
    if (nextSend == null) nextSend = Promise.promise();
    Future<Void> sent = nextSend.future();
    if (!sending) send();
    return sent;
  }

  private void send() {
    if (outbox.isEmpty() || !open) {
      sending = false;
      return;
    }
    sending = true;
    Promise<Void> batch = nextSend;
    nextSend = null;
    String frames = SockJsFrames.encode(outbox);
    outbox.clear();
    post("xhr_send", frames)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                batch.fail(ar.cause());
                end();
              } else {
                batch.complete();
                send();
              }
            });
  }

  private Future<String> post(String what, String body) {
    HubUrl node = nodes.get();
    RequestOptions options = node.request(HttpMethod.POST, session + what, REQUEST_TIMEOUT_MS);
    if (cookie != null) options.addHeader("Cookie", cookie);
    if (body != null) options.addHeader("Content-Type", "text/plain;charset=UTF-8");
    return http.request(options)
        .compose(
            req ->
                req.send(body == null ? "" : body)) // a sized body, as browsers send: never chunked
        .compose(
            resp ->
                resp.body()
                    .compose(
                        bytes ->
                            resp.statusCode() / 100 == 2
                                ? Future.succeededFuture(bytes.toString())
                                : Future.failedFuture("http_" + resp.statusCode())));
  }

  private void end() {
    if (!open) return;
    open = false;
    outbox.clear();
    if (nextSend != null) nextSend.tryFail("closed");
    nextSend = null;
    closeHandler.handle(null);
  }

  @Override
  public void frameHandler(Handler<Buffer> handler) {
    this.frameHandler = handler;
  }

  @Override
  public void closeHandler(Handler<Void> handler) {
    this.closeHandler = handler;
  }

  @Override
  public int closeCode() {
    return closeCode;
  }

  @Override
  public String closeReason() {
    return closeReason;
  }

  @Override
  public boolean writeQueueFull() {
    return outbox.size() >= MAX_QUEUED;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /**
   * Stops polling. SockJS has no close request: the hub ends the session when no poll comes for its
   * timeout.
   */
  @Override
  public Future<Void> close() {
    end();
    return Future.succeededFuture();
  }
}
