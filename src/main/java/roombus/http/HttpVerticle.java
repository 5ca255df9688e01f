package roombus.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.DecoderException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.sstore.SessionStore;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.HubConfig;
import roombus.admin.AdminRoutes;
import roombus.bridge.BridgeHub;
import roombus.bridge.EventBusBridge;
import roombus.bridge.Fanout;
import roombus.bridge.RawWebSocketUpgrade;
import roombus.chat.PostLimiter;
import roombus.common.ApiError;
import roombus.common.ThrottledLog;
import roombus.guard.Guards;
import roombus.identity.Sessions;
import roombus.identity.StoredSessionStore;
import roombus.metrics.HubMetrics;
import roombus.ops.Health;
import roombus.ops.NodeStatus;

/**
 * The HTTP edge of a node: sessions and identities, the JSON API, GIF downloads, the static page
 * and the event-bus bridge, all on one router and one port. Deployed once per core; every instance
 * shares the node's sessions, {@link Fanout}, posting limits and {@link Guards}.
 */
public final class HttpVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);

  /** However many requests fail on the hub's side, a few lines a minute (docs/security.md). */
  private static final ThrottledLog serverErrors = ThrottledLog.of(log, 10);

  public static final String SESSION_COOKIE = "roombus.sid";
  private static final String WEBROOT = "webroot";
  private static final String SOCKJS_CLIENT = "META-INF/resources/webjars/sockjs-client/1.6.1/dist";

  private final HubConfig config;
  private final Fanout fanout;
  private final PostLimiter postLimiter;
  private final Guards guards;
  private final NodeDirectory nodes;

  public HttpVerticle(
      HubConfig config,
      Fanout fanout,
      PostLimiter postLimiter,
      Guards guards,
      NodeDirectory nodes) {
    this.config = config;
    this.fanout = fanout;
    this.postLimiter = postLimiter;
    this.guards = guards;
    this.nodes = nodes;
  }

  @Override
  public Future<?> start() {
    SessionStore sessions = Sessions.store(vertx);
    Router router = Router.router(vertx);
    SessionHandler sessionHandler =
        SessionHandler.create(sessions)
            .setSessionCookieName(SESSION_COOKIE)
            .setCookieHttpOnlyFlag(true)
            .setCookieSameSite(CookieSameSite.LAX)
            .setSessionTimeout(StoredSessionStore.DEFAULT_TIMEOUT);
    SessionWrites sessionWrites = new SessionWrites(sessionHandler);
    NodeStatus status = NodeStatus.of(vertx);
    HeaderTimeout headerTimeout = new HeaderTimeout(vertx, config.headerTimeout());
    BridgeHub bridgeHub = new BridgeHub(vertx, config, fanout, sessions, postLimiter, guards);
    EventBusBridge bridge = new EventBusBridge(vertx, config, bridgeHub);
    RawWebSocketUpgrade rawWebSocket = bridge.rawWebSocket();
    // first, while the server's own request is at hand (RawWebSocketUpgrade)
    router.get(RawWebSocketUpgrade.PATH).handler(rawWebSocket::keepRequest);
    router.route().handler(headerTimeout);
    // no answer of the hub is to be sniffed into another type (an error's JSON into HTML, say)
    router
        .route()
        .handler(
            ctx -> {
              ctx.response().putHeader("X-Content-Type-Options", "nosniff");
              ctx.next();
            });
    router.route().handler(HttpVerticle::logServerErrors);
    router.route().failureHandler(HttpVerticle::brokenRequests);
    router.route().handler(HttpVerticle::decodableQuery);
    // operations first: they answer while the node starts and while it drains, and need no session
    Health.mount(vertx, router);
    PrometheusMeterRegistry registry = HubMetrics.of(vertx).prometheusRegistry();
    if (registry != null)
      router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    router
        .route()
        .handler(
            ctx -> {
              if (status.deployed()) ctx.next();
              else unavailable(ctx, "The node is starting");
            });
    // other sites' pages may neither connect to the bus nor change anything with a visitor's cookie
    router.route().handler(new OriginCheck(config.allowedOrigins(), nodes));
    router.route("/api/*").handler(new JsonOnly());
    // the session is read from the store before the body handlers run: hold request bodies until
    // then
    router
        .route()
        .method(HttpMethod.POST)
        .handler(
            ctx -> {
              ctx.request().pause();
              ctx.next();
            });
    // Polls and sends of a SockJS session already open here need no web session: its socket took
    // the
    // user's identity when it opened. Skipping the session handler saves a read and a write of the
    // session in the store for every poll (xhr-polling makes one request per message received).
    router
        .route()
        .handler(
            ctx -> {
              if (bridge.isOpenSession(ctx.request().path())) ctx.next();
              else sessionHandler.handle(ctx);
            });
    // a draining node opens no new bridge connection: websocket upgrades and SockJS's first request
    // are
    // refused; polls go on, so that a polling session gets its close frame (a session that a client
    // opens here all the same is closed at once with the same code)
    router
        .route("/eventbus/*")
        .handler(
            ctx -> {
              boolean opening =
                  ctx.request().path().endsWith("/info")
                      || ctx.request().headers().contains("Upgrade");
              if (status.draining() && opening) unavailable(ctx, "The node is shutting down");
              else ctx.next();
            });
    router
        .route("/eventbus/*")
        .method(HttpMethod.POST)
        .handler(
            BodyHandler.create(false)
                .setBodyLimit(64 * 1024)); // no file uploads here: no folder made
    router.route("/eventbus/*").handler(EventBusBridge::clientMistakes);
    router.route("/eventbus/*").handler(bridge.sessionLocator());
    router.get(RawWebSocketUpgrade.PATH).handler(rawWebSocket);
    router.route("/eventbus/*").subRouter(bridge.router());

    new AdminRoutes(vertx, config).mount(router);
    // the nodes a page may connect to: its own first, then the other live nodes of the hub
    router
        .get("/api/nodes")
        .handler(
            ctx ->
                Requests.json(
                    ctx,
                    200,
                    new JsonObject()
                        .put("self", nodes.self())
                        .put("nodes", new JsonArray(nodes.urls()))));
    new ApiRoutes(vertx, config, postLimiter, guards, sessionWrites).mount(router);

    router.route().handler(this::pageHeaders);
    // a handler that fails after its answer has gone (a file whose client left mid-send): nothing
    // to answer, nothing to log; any other failure is answered 500, and logged by logServerErrors
    router.errorHandler(
        500,
        ctx -> {
          if (!ctx.response().ended() && !ctx.response().closed())
            ctx.response().setStatusCode(500).end();
        });
    // a client error on a route without a failure handler of its own (the bridge's body limit, a
    // file
    // that does not exist): answered as such; vertx-web would otherwise log an ERROR for each
    for (int clientError = 400; clientError < 500; clientError++) {
      int code = clientError;
      router.errorHandler(
          code,
          ctx -> {
            if (!ctx.response().ended()) ctx.response().setStatusCode(code).end();
          });
    }

    HttpServerOptions options =
        new HttpServerOptions()
            .setMaxWebSocketFrameSize(EventBusBridge.MAX_WEBSOCKET_FRAME)
            .setMaxWebSocketMessageSize(EventBusBridge.MAX_WEBSOCKET_FRAME)
            // every form the hub reads is small: the GIF upload, the SockJS jsonp_send
            .setMaxFormFields(GifUploadHandler.MAX_PARTS)
            .setCompressionSupported(false)
            // HTTP/1.x from the first byte: with h2c, Vert.x reports a connection (and the header
            // timeout starts) only once its first request head is complete
            .setHttp2ClearTextEnabled(false)
            // one HTTP event loop (the default on two cores): every response is written on it, so
            // the connection needs no queue for writes from other threads (docs/performance.md,
            // "Memory per idle connection"); with several, a SockJS session's writes can reach a
            // poll request of another loop
            .setStrictThreadMode(config.httpInstances() == 1);
    return vertx
        .executeBlocking(
            () ->
                List.of(
                    StaticFiles.list(SOCKJS_CLIENT, "sockjs.min.js", "/vendor/sockjs/"),
                    StaticFiles.list(WEBROOT, "index.html", "/")))
        .compose(
            files -> {
              // only files that exist are looked up (see StaticFiles); anything else is 404 at once
              router
                  .route("/vendor/sockjs/*")
                  .handler(files.get(0).only())
                  .handler(StaticHandler.create(SOCKJS_CLIENT).setMaxAgeSeconds(86400));
              router
                  .route()
                  .handler(files.get(1).only())
                  .handler(
                      StaticHandler.create(WEBROOT)
                          .setCachingEnabled(false)
                          .setIndexPage("index.html"));
              return vertx.fileSystem().mkdirs(ApiRoutes.uploadsDir(config).toString());
            })
        .compose(
            v ->
                vertx
                    .createHttpServer(options)
                    .connectionHandler(headerTimeout::opened)
                    .requestHandler(rawWebSocket.routing(router))
                    .listen(config.httpPort()))
        .onSuccess(server -> log.debug("HTTP verticle listening on {}", server.actualPort()));
  }

  private static void unavailable(RoutingContext ctx, String why) {
    ctx.response().putHeader("Retry-After", "1");
    Requests.error(ctx, 503, why);
  }

  /**
   * Every answer of 500 or more is logged, whichever handler gave it (the API, the bridge's SockJS
   * routes, static files), with its cause when there is one: a 500 is always a bug of the hub to
   * find.
   */
  private static void logServerErrors(RoutingContext ctx) {
    ctx.addHeadersEndHandler(
        v -> {
          int status = ctx.response().getStatusCode();
          if (status >= 500
              && status != 503) { // 503 is the node saying it starts, drains or is busy
            serverErrors.error(
                "Answered {} to {} {}",
                status,
                ctx.request().method(),
                ctx.request().path(),
                ctx.failure());
          }
        });
    ctx.next();
  }

  /**
   * A query string that does not decode ({@code ?a=%zz}) is a client's mistake: 400 at once.
   * Otherwise vertx-web's body handler, reading a form or multipart body, trips over it at the end
   * of the body and leaves the request unanswered, logging a stack trace.
   */
  private static void decodableQuery(RoutingContext ctx) {
    try {
      ctx.request().params(); // decoded once, then kept by the request
    } catch (IllegalArgumentException undecodable) {
      ctx.fail(400, ApiError.badRequest("The query string cannot be decoded"));
      return;
    }
    ctx.next();
  }

  /**
   * A request that Netty's HTTP codec could not decode (a broken chunk, a multipart type with an
   * empty boundary), or whose client went away in the middle of its body, fails whatever route it
   * took. It is the client's doing, not the hub's: answered 400 if anyone is still there (after a
   * broken chunk Vert.x closes the connection), and not logged.
   */
  private static void brokenRequests(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (!(failure instanceof HttpClosedException) && !thrownByDecoder(failure)) {
      ctx.next();
      return;
    }
    if (!ctx.response().ended() && !ctx.response().closed()) {
      Requests.error(ctx, 400, "The request could not be read");
    }
  }

  /**
   * Whether Netty's codec threw {@code failure}: the first frame of its stack outside the JDK is in
   * {@code io.netty.handler.codec}. (A failure of the hub's own code has its own frames first,
   * whatever lies below them.)
   */
  private static boolean thrownByDecoder(Throwable failure) {
    if (failure == null) return false;
    if (failure instanceof DecoderException) return true;
    for (StackTraceElement frame : failure.getStackTrace()) {
      String type = frame.getClassName();
      if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) continue;
      return type.startsWith("io.netty.handler.codec.");
    }
    return false;
  }

  /**
   * Scripts come only from this origin; connections go to this node and the hub's other live nodes
   * only (the page learns them from {@code /api/nodes}); nothing is sniffed into another type.
   */
  private void pageHeaders(RoutingContext ctx) {
    StringBuilder connect = new StringBuilder("'self'");
    StringBuilder frames = new StringBuilder("'self'");
    for (String origin : nodes.origins()) {
      connect.append(' ').append(origin).append(' ').append(Origins.webSocket(origin));
      frames.append(' ').append(origin);
    }
    ctx.response()
        .putHeader("Referrer-Policy", "same-origin")
        .putHeader(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none'; "
                + "frame-ancestors 'self'; connect-src "
                + connect
                + "; frame-src "
                + frames);
    ctx.next();
  }
}
