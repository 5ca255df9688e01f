package roombus.http;

import static roombus.http.Requests.identity;
import static roombus.http.Requests.json;
import static roombus.http.Requests.respond;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import roombus.HubConfig;
import roombus.chat.ChatService;
import roombus.chat.PostLimiter;
import roombus.common.ApiError;
import roombus.guard.Guards;
import roombus.identity.Tokens;
import roombus.metrics.HubMetrics;

/**
 * The JSON API under {@code /api} and GIF downloads under {@code /gif}; see docs/protocol.md. The
 * routes live with what they serve ({@link RoomRoutes}, {@link ChatRoutes}, {@link GifRoutes});
 * here is the order they are mounted in, the session's own routes and the API's failures.
 */
final class ApiRoutes {

  /** The largest JSON body the API reads. */
  private static final int BODY_LIMIT = 16 * 1024;

  private final SessionWrites sessionWrites;
  private final Tokens tokens;
  private final RoomRoutes rooms;
  private final ChatRoutes chats;
  private final GifRoutes gifs;

  ApiRoutes(
      Vertx vertx,
      HubConfig config,
      PostLimiter postLimiter,
      Guards guards,
      SessionWrites sessionWrites) {
    ChatService chatService = new ChatService(vertx);
    RequestLimits limits =
        new RequestLimits(guards.rates(), postLimiter, chatService, HubMetrics.of(vertx));
    this.sessionWrites = sessionWrites;
    this.tokens = new Tokens(vertx, config.tokenTtl());
    this.rooms =
        new RoomRoutes(vertx, config.maxRoomSize(), limits, guards.passwords(), sessionWrites);
    this.chats = new ChatRoutes(vertx, limits, chatService);
    this.gifs = new GifRoutes(vertx, uploadsDir(config), limits, chatService);
  }

  /** Where GIF uploads are held while they arrive: made when the HTTP verticle starts. */
  static Path uploadsDir(HubConfig config) {
    return config.dataDir().resolve("uploads");
  }

  void mount(Router router) {
    // access and the upload limit are checked before a byte of the upload is read
    gifs.mountUpload(router);
    router
        .route("/api/*")
        .method(HttpMethod.POST)
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));

    router.get("/api/me").handler(ctx -> json(ctx, 200, identity(ctx).toJson()));
    // a token for clients that cannot send the cookie (the TCP bridge): it speaks for this session
    router
        .post("/api/token")
        .handler(
            ctx ->
                respond(
                    ctx,
                    201,
                    tokens
                        .issue(ctx.session())
                        .compose(
                            token ->
                                sessionWrites
                                    .save(ctx)
                                    .map(token.mergeIn(identity(ctx).toJson())))));
    rooms.mount(router);
    chats.mount(router);
    gifs.mountDownload(router);
    router.route("/api/*").handler(ctx -> ctx.fail(ApiError.notFound("No such API route")));

    ApiFailures failures = new ApiFailures();
    router.route("/api/*").failureHandler(failures);
    router.route("/gif/*").failureHandler(failures);
  }
}
