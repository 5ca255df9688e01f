package roombus.busclient;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A connection to a roombus hub's event-bus bridge, speaking the Vert.x bridge frames ({@code
 * register}, {@code unregister}, {@code send}, {@code ping}) over any {@link BusTransport}.
 *
 * <pre>{@code
 * BusClient.websocket(vertx, HubUrl.of("http://127.0.0.1:8080"), http.sid())
 *     .compose(bus -> bus.register(BusAddresses.room(id), null, message -> show(message.json()))
 *         .compose(v -> bus.send(BusAddresses.room(id), new JsonObject().put("chat", "hello"), null)))
 *     .onSuccess(stored -> ...);
 * }</pre>
 *
 * What the hub delivers goes, in this order, to the {@link #rawFrameHandler raw frame handler} (and
 * nowhere else: nothing is parsed), or else to the {@link #frameHandler frame handler} (every
 * frame, parsed), then to the reply a {@link #send} waits for, or the handler of a {@link
 * #register}ed address; an {@code err} frame that answers no send goes to the {@link #errorHandler
 * error handler}. A delivered message may say {@code "rec"} or {@code "message"} ({@link
 * BusMessage#of}).
 *
 * <p>A client belongs to the event loop it was connected on, where every handler is called. Its
 * methods may be called from any thread: off that loop they hop onto it.
 */
public final class BusClient {

  /**
   * Close code: the node is going away; reconnect (to another node) and catch up with {@code
   * since}.
   */
  public static final int GOING_AWAY = 4001;

  /** Close code: an administrator disconnected this user. */
  public static final int DISCONNECTED = 4002;

  /** How long {@link #send} waits for its reply unless {@link #replyTimeout} says otherwise. */
  public static final long DEFAULT_REPLY_TIMEOUT_MS = 30_000;

  private static final String PING = "{\"type\":\"ping\"}";

  private final Vertx vertx;
  private final Context context;

  /** The event loop thread of {@link #context}: the one thread that touches this client's state. */
  private final Thread loop;

  private final BusTransport transport;
  private final JsonObject defaultHeaders;

  /** Closes what this client owns (its Vert.x network client), once. */
  private Supplier<Future<Void>> release;

  private final Map<String, Handler<BusMessage>> handlers = new HashMap<>();
  private final PendingReplies replies;
  private long replyTimeoutMs = DEFAULT_REPLY_TIMEOUT_MS;
  private long pingTimer = -1;
  private volatile Handler<Buffer> rawFrameHandler;
  private volatile Handler<JsonObject> frameHandler;
  private volatile Handler<BusError> errorHandler;
  private volatile Handler<Void> closeHandler;
  private volatile boolean ended;

  /**
   * A close code the hub announced in an err frame before it closed (the TCP bridge has no close
   * frame).
   */
  private int announcedClose = -1;

  private String announcedReason;

  private BusClient(
      Vertx vertx,
      Context context,
      BusTransport transport,
      JsonObject defaultHeaders,
      Supplier<Future<Void>> release) {
    this.vertx = vertx;
    this.context = context;
    this.loop = Thread.currentThread();
    this.transport = transport;
    this.defaultHeaders = defaultHeaders;
    this.release = release;
    this.replies = new PendingReplies(vertx);
    transport.frameHandler(this::received);
    transport.closeHandler(v -> ended());
    if (!transport.isOpen())
      context.runOnContext(v -> ended()); // closed before anyone could listen
  }

  // ---- connecting ------------------------------------------------------------------------------

  /** The hub's raw event-bus websocket, as the session {@code sid} (its cookie; null for none). */
  public static Future<BusClient> websocket(Vertx vertx, HubUrl hub, String sid) {
    WebSocketClient client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setSsl(hub.ssl())
                .setConnectTimeout(10_000)
                .setMaxFrameSize(1024 * 1024)
                .setMaxMessageSize(4 * 1024 * 1024)); // a catch-up page may be large
    return connecting(
        vertx, () -> WebSocketTransport.connect(client, hub, sid), null, client::close);
  }

  /** SockJS xhr-polling to the hub at {@code hub}, as the session {@code sid}. */
  public static Future<BusClient> xhrPolling(Vertx vertx, HubUrl hub, String sid) {
    return xhrPolling(vertx, () -> hub, sid);
  }

  /**
   * SockJS xhr-polling whose every request goes to the node {@code nodes} names then (see {@link
   * XhrPollingTransport#open(HttpClient, Supplier, String)}).
   */
  public static Future<BusClient> xhrPolling(Vertx vertx, Supplier<HubUrl> nodes, String sid) {
    HttpClient http = vertx.createHttpClient(XhrPollingTransport.httpClientOptions());
    return connecting(vertx, () -> XhrPollingTransport.open(http, nodes, sid), null, http::close);
  }

  /**
   * The TCP bridge at {@code host:port}. A {@code token} (from {@link HubHttp#token()}) goes in the
   * headers of every register, unregister and send, which is how a TCP client says who it is; null
   * leaves the connection anonymous (the room list only).
   */
  public static Future<BusClient> tcp(Vertx vertx, String host, int port, String token) {
    NetClient client =
        vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000).setTcpNoDelay(true));
    JsonObject headers = token == null ? null : BusHeaders.token(token);
    return connecting(
        vertx, () -> TcpTransport.connect(client, host, port), headers, client::close);
  }

  /**
   * A client over a transport opened by the caller, on the caller's event loop (call it there, as
   * the transport's future completes). Closing it leaves the transport's Vert.x client to the
   * caller.
   */
  public static BusClient over(Vertx vertx, BusTransport transport) {
    return new BusClient(
        vertx, vertx.getOrCreateContext(), transport, null, Future::succeededFuture);
  }

  /** Connects on one event loop context, so the transport and the client share its thread. */
  private static Future<BusClient> connecting(
      Vertx vertx,
      Supplier<Future<? extends BusTransport>> connect,
      JsonObject headers,
      Supplier<Future<Void>> release) {
    Context context = vertx.getOrCreateContext();
    Promise<BusClient> connected = Promise.promise();
    context.runOnContext(
        v ->
            connect
                .get()
                .<BusClient>map(
                    transport -> new BusClient(vertx, context, transport, headers, release))
                .onFailure(err -> release.get())
                .onComplete(connected));
    return connected.future();
  }

  // ---- the bridge frames -----------------------------------------------------------------------

  /**
   * Registers on {@code address}; the hub then delivers its messages to {@code handler} (which may
   * be null when a frame handler reads everything). The bridge does not acknowledge a register: the
   * future says the frame was handed over; a refusal comes as an {@code err} frame about the
   * address.
   */
  public Future<Void> register(String address, JsonObject headers, Handler<BusMessage> handler) {
    String frame = frame("register", address, headers).encode();
    return onLoop(
        () -> {
          if (handler != null) handlers.put(address, handler);
          return transport.write(frame);
        });
  }

  /** Stops the messages of {@code address} (for a room: leaves it). */
  public Future<Void> unregister(String address) {
    String frame = frame("unregister", address, null).encode();
    return onLoop(
        () -> {
          handlers.remove(address);
          return transport.write(frame);
        });
  }

  /**
   * Sends {@code body} to {@code address} and waits for the reply (for a room: the stored message).
   * Fails with a {@link BusError}: the hub's refusal, {@link BusError#TIMEOUT} or {@link
   * BusError#CLOSED}.
   */
  public Future<BusMessage> send(String address, Object body, JsonObject headers) {
    JsonObject frame = frame("send", address, headers);
    return onLoop(
        () -> {
          if (ended)
            return Future.failedFuture(
                new BusError(address, -1, BusError.CLOSED, "the connection is closed", null));
          PendingReplies.Awaited awaited = replies.await(replyTimeoutMs);
          String replyAddress = awaited.replyAddress();
          transport
              .write(frame.put("replyAddress", replyAddress).put("body", body).encode())
              .onFailure(err -> replies.closed(replyAddress, "not sent: " + err.getMessage()));
          return awaited.reply();
        });
  }

  /** Tells the hub the client is alive: the hub closes a connection silent for its ping timeout. */
  public Future<Void> ping() {
    return write(PING);
  }

  /**
   * Pings every {@code intervalMs} until the connection ends (vertx-eventbus.js pings every 5 s).
   */
  public BusClient pingEvery(long intervalMs) {
    context.runOnContext(
        v -> {
          if (pingTimer >= 0) vertx.cancelTimer(pingTimer);
          pingTimer = ended ? -1 : vertx.setPeriodic(intervalMs, id -> ping());
        });
    return this;
  }

  /**
   * Writes a frame as it is: any bridge frame, a frame with a reply address of the caller's own.
   */
  public Future<Void> writeFrame(JsonObject frame) {
    return write(frame.encode());
  }

  /**
   * Writes one frame's text as it is (a prebuilt frame, or a broken one to try the hub). Writing
   * without checking {@link #writeQueueFull()} first queues without limit, or fails on a polling
   * transport.
   */
  public Future<Void> write(String frame) {
    if (Thread.currentThread() == loop) return transport.write(frame);
    return hop(() -> transport.write(frame));
  }

  public boolean writeQueueFull() {
    return transport.writeQueueFull();
  }

  public boolean isOpen() {
    return !ended && transport.isOpen();
  }

  /**
   * How the hub closed the connection: {@link #GOING_AWAY} (the node is shutting down: reconnect,
   * to another node if you know one, and register again with {@code since}), {@link #DISCONNECTED}
   * (an administrator ended it: do not reconnect on your own), another code, or -1 for none.
   */
  public int closeCode() {
    return announcedClose >= 0 ? announcedClose : transport.closeCode();
  }

  /** The words that came with {@link #closeCode()}, or null. */
  public String closeReason() {
    return announcedClose >= 0 ? announcedReason : transport.closeReason();
  }

  /** Closes the connection (and the Vert.x client this client opened for it, if any). */
  public Future<Void> close() {
    return onLoop(() -> transport.close().eventually(this::release));
  }

  /** The transport under this client, for what only it can do ({@link TcpTransport#writeBytes}). */
  public BusTransport transport() {
    return transport;
  }

  // ---- handlers --------------------------------------------------------------------------------

  /**
   * Every frame from the hub, unparsed; while set, this client parses nothing, so replies and
   * address handlers are not called. For tools that scan the bytes themselves.
   */
  public BusClient rawFrameHandler(Handler<Buffer> handler) {
    this.rawFrameHandler = handler;
    return this;
  }

  /**
   * Every frame from the hub, parsed; a frame that is no JSON object comes as {@code
   * {"type":"unparsable","text":…}}.
   */
  public BusClient frameHandler(Handler<JsonObject> handler) {
    this.frameHandler = handler;
    return this;
  }

  /** Every {@code err} frame that answers no {@link #send}: a refused register, a refused frame. */
  public BusClient errorHandler(Handler<BusError> handler) {
    this.errorHandler = handler;
    return this;
  }

  /** Called once when the connection ends, whoever ended it. */
  public BusClient closeHandler(Handler<Void> handler) {
    this.closeHandler = handler;
    return this;
  }

  /** How long a {@link #send} waits for its reply, from now on. */
  public BusClient replyTimeout(long ms) {
    this.replyTimeoutMs = ms;
    return this;
  }

  // ---- what arrives ----------------------------------------------------------------------------

  private void received(Buffer data) {
    Handler<Buffer> raw = rawFrameHandler;
    if (raw != null) {
      raw.handle(data);
      return;
    }
    JsonObject frame = parse(data);
    Handler<JsonObject> frames = frameHandler;
    if (frames != null) frames.handle(frame);
    BusMessage message = BusMessage.of(frame);
    if (message != null) {
      if (replies.complete(message.address(), message)) return;
      Handler<BusMessage> handler = handlers.get(message.address());
      if (handler != null) handler.handle(message);
      return;
    }
    BusError error = BusError.of(frame);
    if (error != null
        && error.address() == null
        && error.failureCode() >= 4000
        && error.failureCode() < 5000) {
      announcedClose = error.failureCode();
      announcedReason = error.getMessage();
    }
    if (error != null && !replies.fail(error.address(), error)) {
      Handler<BusError> errors = errorHandler;
      if (errors != null) errors.handle(error);
    }
  }

  /** A frame as a JSON object, or {@code {"type":"unparsable","text":…}} when it is none. */
  static JsonObject parse(Buffer data) {
    try {
      return new JsonObject(data);
    } catch (RuntimeException e) {
      return new JsonObject().put("type", "unparsable").put("text", data.toString());
    }
  }

  private void ended() {
    if (ended) return;
    ended = true;
    if (pingTimer >= 0) vertx.cancelTimer(pingTimer);
    release();
    Handler<Void> handler = closeHandler;
    if (handler != null) handler.handle(null);
    replies.allClosed("the connection closed before the reply");
  }

  private Future<Void> release() {
    Supplier<Future<Void>> owned = release;
    release = Future::succeededFuture;
    return owned.get();
  }

  // ---- plumbing --------------------------------------------------------------------------------

  /**
   * A frame of {@code type} on {@code address}, with the default headers and {@code headers} if
   * any.
   */
  private JsonObject frame(String type, String address, JsonObject headers) {
    JsonObject frame = new JsonObject().put("type", type).put("address", address);
    JsonObject all =
        defaultHeaders == null
            ? headers
            : headers == null ? defaultHeaders.copy() : defaultHeaders.copy().mergeIn(headers);
    if (all != null && !all.isEmpty()) frame.put("headers", all);
    return frame;
  }

  private <T> Future<T> onLoop(Supplier<Future<T>> action) {
    return Thread.currentThread() == loop ? action.get() : hop(action);
  }

  private <T> Future<T> hop(Supplier<Future<T>> action) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(done));
    return done.future();
  }
}
