package roombus.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.bcrypt.BCrypt;
import roombus.HubConfig;
import roombus.chat.ChatService;
import roombus.chat.History;
import roombus.chat.PostLimiter;
import roombus.common.ApiError;
import roombus.common.ThrottledLog;
import roombus.guard.Guards;
import roombus.guard.PasswordThrottle;
import roombus.guard.RateLimits;
import roombus.guard.RateLimits.Action;
import roombus.identity.Identity;
import roombus.identity.RoomAccess;
import roombus.identity.Tokens;
import roombus.metrics.HubMetrics;
import roombus.model.ChatMessage;
import roombus.model.Participant;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;
import roombus.model.Room;
import roombus.model.Whisper;
import roombus.room.RoomService;
import roombus.store.Stores;
import roombus.upload.GifCheck;

/** The JSON API under {@code /api} and GIF downloads under {@code /gif}; see docs/protocol.md. */
final class ApiRoutes {

  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);

  /**
   * A request that fails on our side may be repeated by its client at will: a few lines a minute.
   */
  private static final ThrottledLog faultLog = ThrottledLog.of(log, 10);

  private static final int HISTORY_PAGE = 50;
  private static final int MAX_PAGE = 100;
  private static final int MAX_CATCH_UP = 1000;
  private static final String ID_ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final HubConfig config;
  private final PostLimiter postLimiter;
  private final RateLimits limits;
  private final HubMetrics metrics;
  private final PasswordThrottle passwords;
  private final Stores store;
  private final RoomService rooms;
  private final ChatService chats;
  private final History history;
  private final Tokens tokens;

  private final SessionWrites sessionWrites;

  ApiRoutes(
      Vertx vertx,
      HubConfig config,
      PostLimiter postLimiter,
      Guards guards,
      SessionWrites sessionWrites) {
    this.sessionWrites = sessionWrites;
    this.vertx = vertx;
    this.config = config;
    this.postLimiter = postLimiter;
    this.limits = guards.rates();
    this.metrics = HubMetrics.of(vertx);
    this.passwords = guards.passwords();
    this.store = Stores.of(vertx);
    this.rooms = RoomService.of(vertx);
    this.chats = new ChatService(vertx);
    this.history = new History(vertx);
    this.tokens = new Tokens(vertx, config.tokenTtl());
  }

  /** Where GIF uploads are held while they arrive: made when the HTTP verticle starts. */
  static Path uploadsDir(HubConfig config) {
    return config.dataDir().resolve("uploads");
  }

  void mount(Router router) {
    Path uploads = uploadsDir(config);
    // access and the upload limit are checked before a byte of the upload is read
    router
        .post("/api/rooms/:id/gifs")
        .handler(this::requireAccess)
        .handler(ctx -> limited(ctx, Action.UPLOAD))
        .handler(new GifUploadHandler(uploads, GifCheck.MAX_BYTES + 64 * 1024))
        .handler(this::postGif);
    router
        .route("/api/*")
        .method(HttpMethod.POST)
        .handler(BodyHandler.create(false).setBodyLimit(16 * 1024));

    router.get("/api/me").handler(ctx -> ok(ctx, 200, identity(ctx).toJson()));
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
    router
        .get("/api/rooms")
        .handler(ctx -> respond(ctx, 200, store.rooms().list().map(ApiRoutes::roomsJson)));
    router.post("/api/rooms").handler(this::createRoom);
    router.get("/api/rooms/:id").handler(this::showRoom);
    router
        .delete("/api/rooms/:id")
        .handler(
            ctx ->
                rooms
                    .delete(roomId(ctx), identity(ctx).user())
                    .onSuccess(v -> ctx.response().setStatusCode(204).end())
                    .onFailure(ctx::fail));
    router.post("/api/rooms/:id/enter").handler(this::enter);
    router.get("/api/rooms/:id/chats").handler(this::requireAccess).handler(this::history);
    router.post("/api/rooms/:id/chats").handler(this::requireAccess).handler(this::postChat);
    router
        .post("/api/rooms/:id/owner")
        .handler(this::requireAccess)
        .handler(
            ctx ->
                respond(
                    ctx,
                    200,
                    rooms
                        .handOver(roomId(ctx), identity(ctx).user(), userIn(jsonBody(ctx)))
                        .map(Room::toJson)));
    router
        .post("/api/rooms/:id/kick")
        .handler(this::requireAccess)
        .handler(
            ctx ->
                respond(
                    ctx,
                    200,
                    rooms
                        .kick(roomId(ctx), identity(ctx).user(), userIn(jsonBody(ctx)))
                        .map(ChatMessage::toJson)));
    router.get("/gif/:fileId").handler(this::gif);
    router.route("/api/*").handler(ctx -> ctx.fail(ApiError.notFound("No such API route")));

    router.route("/api/*").failureHandler(this::failure);
    router.route("/gif/*").failureHandler(this::failure);
  }

  // ---- rooms ----------------------------------------------------------------------------------

  private void createRoom(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    Object titleValue = body.getValue("title");
    String title = titleValue instanceof String s ? s.strip() : null;
    if (title == null
        || title.isEmpty()
        || title.codePointCount(0, title.length()) > Room.MAX_TITLE) {
      throw ApiError.badRequest("A room needs a title of 1 to " + Room.MAX_TITLE + " characters");
    }
    Object maxValue = body.getValue("max");
    int max = Room.DEFAULT_MAX;
    if (maxValue != null) {
      // compared as a double: a long such as 4294967298 must not wrap around into range
      if (!(maxValue instanceof Number n)
          || n.doubleValue() != Math.rint(n.doubleValue())
          || n.doubleValue() < Room.MIN_MAX
          || n.doubleValue() > config.maxRoomSize()) {
        throw ApiError.badRequest(
            "max must be a whole number from " + Room.MIN_MAX + " to " + config.maxRoomSize());
      }
      max = n.intValue();
    }
    Object passwordValue = body.getValue("password");
    if (passwordValue != null && !(passwordValue instanceof String))
      throw ApiError.badRequest("password must be text");
    String password = (String) passwordValue;
    if (password != null && password.length() > 72)
      throw ApiError.badRequest("A password is at most 72 characters");
    Identity owner = identity(ctx);
    acquire(ctx, Action.CREATE_ROOM);
    int roomMax = max;
    Future<String> hash =
        password == null || password.isEmpty()
            ? Future.succeededFuture(null)
            : vertx.executeBlocking(() -> BCrypt.hashpw(password, BCrypt.gensalt()), false);
    hash.compose(
            passwordHash ->
                rooms.create(
                    Room.create(
                        newRoomId(),
                        title,
                        roomMax,
                        owner.user(),
                        owner.color(),
                        passwordHash,
                        Instant.now().toString())))
        .compose(
            room -> {
              RoomAccess.grant(ctx.session(), room.id());
              return sessionWrites.save(ctx).map(room.toJson());
            })
        .onSuccess(room -> ok(ctx, 201, room))
        .onFailure(ctx::fail);
  }

  private void showRoom(RoutingContext ctx) {
    String id = roomId(ctx);
    boolean entered = RoomAccess.has(ctx.session(), id);
    store
        .rooms()
        .get(id)
        .compose(
            room ->
                entered // who is inside is for those who may enter
                    ? store
                        .presence()
                        .participants(id)
                        .map(p -> room.toJson().put("participants", participantsJson(p)))
                    : Future.succeededFuture(room.toJson()))
        .onSuccess(room -> ok(ctx, 200, room))
        .onFailure(ctx::fail);
  }

  /**
   * Checks password and capacity, grants the session access, answers the room and its newest
   * history.
   */
  private void enter(RoutingContext ctx) {
    String id = roomId(ctx);
    Identity who = identity(ctx);
    acquire(ctx, Action.ENTER);
    JsonObject body = ctx.body().isEmpty() ? new JsonObject() : jsonBody(ctx);
    Object password = body.getValue("password");
    boolean entered = RoomAccess.has(ctx.session(), id);
    store
        .rooms()
        .get(id)
        .compose(notBanned(ctx))
        .compose(
            room ->
                entered
                    ? Future.succeededFuture(room)
                    : checkPassword(room, password, who, clientAddress(ctx)))
        .compose(
            room ->
                rooms
                    .enter(id, who)
                    .compose(
                        seat -> {
                          RoomAccess.grant(ctx.session(), id);
                          Future<List<Participant>> people = store.presence().participants(id);
                          Future<List<JsonObject>> chats =
                              history.page(id, who.user(), null, null, HISTORY_PAGE);
                          return Future.all(people, chats, sessionWrites.save(ctx))
                              .map(
                                  all ->
                                      new JsonObject()
                                          .put("room", room.withCount(seat.count()).toJson())
                                          .put("participants", participantsJson(people.result()))
                                          .put("chats", new JsonArray(chats.result())));
                        }))
        .onSuccess(result -> ok(ctx, 200, result))
        .onFailure(ctx::fail);
  }

  /**
   * Checks a room's password, unless its guesser has to wait ({@link PasswordThrottle}: 429 without
   * running bcrypt).
   */
  private Future<Room> checkPassword(Room room, Object password, Identity who, String address) {
    String hash = room.passwordHash();
    if (hash == null) return Future.succeededFuture(room);
    if (!(password instanceof String given) || given.isEmpty()) {
      return Future.failedFuture(new Refusal(Reason.PASSWORD_REQUIRED));
    }
    return passwords
        .attempt(
            room.id(),
            who.user(),
            address,
            () -> vertx.executeBlocking(() -> BCrypt.checkpw(given, hash), false))
        .onFailure(
            err -> {
              if (err instanceof ApiError api && api.status() == 429) metrics.limited("passwords");
            })
        .compose(
            matches ->
                matches
                    ? Future.succeededFuture(room)
                    : Future.failedFuture(new Refusal(Reason.WRONG_PASSWORD)));
  }

  // ---- history and posting ------------------------------------------------------------------

  private void history(RoutingContext ctx) {
    String id = roomId(ctx);
    Long before = longParam(ctx, "before");
    Long after = longParam(ctx, "after");
    Long limit = longParam(ctx, "limit");
    if (before != null && after != null)
      throw ApiError.badRequest("Use either before or after, not both");
    int cap = after != null ? MAX_CATCH_UP : MAX_PAGE;
    if (limit != null && (limit < 1 || limit > cap))
      throw ApiError.badRequest("limit must be from 1 to " + cap);
    int size = limit != null ? limit.intValue() : after != null ? MAX_CATCH_UP : HISTORY_PAGE;
    store
        .rooms()
        .get(id)
        .compose(notBanned(ctx))
        .compose(room -> history.page(id, identity(ctx).user(), before, after, size))
        .onSuccess(page -> ok(ctx, 200, new JsonArray(page)))
        .onFailure(ctx::fail);
  }

  private void postChat(RoutingContext ctx) {
    Identity who = identity(ctx);
    limitPosts(roomId(ctx), who);
    JsonObject body = jsonBody(ctx);
    Object key = body.getValue("key");
    Future<JsonObject> posted =
        body.getValue("to") == null
            ? chats.postText(roomId(ctx), who, body.getValue("chat"), key).map(ChatMessage::toJson)
            : chats
                .whisper(roomId(ctx), who, body.getValue("to"), body.getValue("chat"), key)
                .map(Whisper::toJson);
    respond(ctx, 201, posted);
  }

  private void postGif(RoutingContext ctx) {
    Identity who = identity(ctx);
    GifUploadHandler.Received upload = ctx.get(GifUploadHandler.RECEIVED);
    if (upload.size() > GifCheck.MAX_BYTES) throw new ApiError(413, "A GIF is at most 5 MiB");
    limitPosts(roomId(ctx), who);
    String roomId = roomId(ctx);
    readHead(upload.file())
        .compose(
            head ->
                GifCheck.isGif(head)
                    ? Future.succeededFuture()
                    : Future.failedFuture(new ApiError(415, "That file is not a GIF")))
        .compose(v -> store.rooms().get(roomId))
        .compose(notBanned(ctx))
        .compose(room -> chats.postGif(roomId, who, upload.file()))
        .onSuccess(stored -> ok(ctx, 201, stored.toJson()))
        .onFailure(ctx::fail);
  }

  private Future<Buffer> readHead(String path) {
    return vertx
        .fileSystem()
        .open(path, new OpenOptions().setRead(true).setWrite(false))
        .compose(
            file ->
                file.read(Buffer.buffer(GifCheck.HEADER_BYTES), 0, 0, GifCheck.HEADER_BYTES)
                    .eventually(file::close));
  }

  private void gif(RoutingContext ctx) {
    store
        .gifs()
        .get(ctx.pathParam("fileId"))
        .onSuccess(
            bytes ->
                ctx.response()
                    .putHeader("Content-Type", "image/gif")
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Content-Security-Policy", "default-src 'none'")
                    .putHeader("Content-Disposition", "inline; filename=\"chat.gif\"")
                    .putHeader("Cache-Control", "public, max-age=31536000, immutable")
                    .end(bytes))
        .onFailure(ctx::fail);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private void requireAccess(RoutingContext ctx) {
    if (!RoomAccess.has(ctx.session(), roomId(ctx))) {
      ctx.fail(ApiError.forbidden("Enter the room first"));
      return;
    }
    ctx.next();
  }

  /** A limit of {@link RateLimits} before the next handler: 429 with Retry-After past it. */
  private void limited(RoutingContext ctx, Action action) {
    acquire(ctx, action);
    ctx.next();
  }

  /** Takes a permit of the user and their address for {@code action}, or throws the 429. */
  private void acquire(RoutingContext ctx, Action action) {
    try {
      limits.acquire(action, identity(ctx).user(), clientAddress(ctx));
    } catch (ApiError refused) {
      metrics.limited(action.meter());
      throw refused;
    }
  }

  /** The client's address as this node sees it (a reverse proxy's, behind one), or null. */
  private static String clientAddress(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    return remote == null ? null : remote.hostAddress();
  }

  private void limitPosts(String roomId, Identity who) {
    if (!postLimiter.tryAcquire(who.user())) throw chats.tooFast(roomId, who);
  }

  private static Identity identity(RoutingContext ctx) {
    return Identity.of(ctx.session());
  }

  private static String roomId(RoutingContext ctx) {
    return ctx.pathParam("id");
  }

  private static JsonArray roomsJson(List<Room> rooms) {
    return new JsonArray(rooms.stream().map(Room::toJson).toList());
  }

  private static JsonArray participantsJson(List<Participant> people) {
    return new JsonArray(people.stream().map(Participant::toJson).toList());
  }

  /** Refuses users the owner removed from the room. */
  private static Function<Room, Future<Room>> notBanned(RoutingContext ctx) {
    String user = identity(ctx).user();
    return room ->
        room.removed(user)
            ? Future.failedFuture(new Refusal(Reason.REMOVED))
            : Future.succeededFuture(room);
  }

  private static String userIn(JsonObject body) {
    if (!(body.getValue("user") instanceof String user) || user.isEmpty()) {
      throw ApiError.badRequest("Name the user by their id: {\"user\": \"...\"}");
    }
    return user;
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    try {
      Object json = ctx.body().isEmpty() ? null : ctx.body().asJsonObject();
      if (json == null) throw ApiError.badRequest("The body must be a JSON object");
      return (JsonObject) json;
    } catch (DecodeException | ClassCastException e) {
      throw ApiError.badRequest("The body must be a JSON object");
    }
  }

  private static Long longParam(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    if (value == null || value.isEmpty()) return null;
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name + " must be a whole number");
    }
  }

  private static String newRoomId() {
    StringBuilder id = new StringBuilder(10);
    for (int i = 0; i < 10; i++)
      id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
    return id.toString();
  }

  private static void ok(RoutingContext ctx, int status, Object body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(body instanceof JsonArray a ? a.toBuffer() : ((JsonObject) body).toBuffer());
  }

  private static <T> void respond(RoutingContext ctx, int status, Future<T> result) {
    result.onSuccess(body -> ok(ctx, status, body)).onFailure(ctx::fail);
  }

  private void failure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    ApiError api = failure == null ? null : ApiError.from(failure);
    int status;
    String message;
    if (api != null) {
      status = api.status();
      message = api.getMessage();
    } else if (ctx.statusCode() == 413) {
      status = 413;
      message = "The body is too large";
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      status = ctx.statusCode();
      message = "Bad request";
    } else {
      status = 500;
      message = "Something went wrong on our side";
      faultLog.error("Request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
    }
    if (ctx.response().ended()) return;
    if (api != null && api.retryAfterSeconds() > 0)
      ctx.response().putHeader("Retry-After", String.valueOf(api.retryAfterSeconds()));
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(new JsonObject().put("error", message).toBuffer());
  }
}
