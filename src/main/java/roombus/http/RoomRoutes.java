package roombus.http;

import static roombus.http.Requests.clientAddress;
import static roombus.http.Requests.identity;
import static roombus.http.Requests.json;
import static roombus.http.Requests.jsonBody;
import static roombus.http.Requests.notBanned;
import static roombus.http.Requests.respond;
import static roombus.http.Requests.roomId;
import static roombus.http.Requests.userIn;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.springframework.security.crypto.bcrypt.BCrypt;
import roombus.chat.History;
import roombus.common.ApiError;
import roombus.guard.PasswordThrottle;
import roombus.guard.RateLimits.Action;
import roombus.identity.Identity;
import roombus.identity.RoomAccess;
import roombus.metrics.HubMetrics;
import roombus.model.ChatMessage;
import roombus.model.Participant;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;
import roombus.model.Room;
import roombus.room.RoomService;
import roombus.store.Stores;

/**
 * The rooms under {@code /api/rooms}: the list, creating one (its password hashed with bcrypt),
 * showing one, entering it (password and capacity checked), deleting it, and the owner's hand-over
 * and kick.
 */
final class RoomRoutes {

  private static final String ID_ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final int maxRoomSize;
  private final RequestLimits limits;
  private final PasswordThrottle passwords;
  private final HubMetrics metrics;
  private final SessionWrites sessionWrites;
  private final Stores store;
  private final RoomService rooms;
  private final History history;

  RoomRoutes(
      Vertx vertx,
      int maxRoomSize,
      RequestLimits limits,
      PasswordThrottle passwords,
      SessionWrites sessionWrites) {
    this.vertx = vertx;
    this.maxRoomSize = maxRoomSize;
    this.limits = limits;
    this.passwords = passwords;
    this.sessionWrites = sessionWrites;
    this.metrics = HubMetrics.of(vertx);
    this.store = Stores.of(vertx);
    this.rooms = RoomService.of(vertx);
    this.history = new History(vertx);
  }

  void mount(Router router) {
    router
        .get("/api/rooms")
        .handler(ctx -> respond(ctx, 200, store.rooms().list().map(RoomRoutes::roomsJson)));
    router.post("/api/rooms").handler(this::create);
    router.get("/api/rooms/:id").handler(this::show);
    router
        .delete("/api/rooms/:id")
        .handler(
            ctx ->
                rooms
                    .delete(roomId(ctx), identity(ctx).user())
                    .onSuccess(v -> ctx.response().setStatusCode(204).end())
                    .onFailure(ctx::fail));
    router.post("/api/rooms/:id/enter").handler(this::enter);
    router
        .post("/api/rooms/:id/owner")
        .handler(RequestLimits::requireAccess)
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
        .handler(RequestLimits::requireAccess)
        .handler(
            ctx ->
                respond(
                    ctx,
                    200,
                    rooms
                        .kick(roomId(ctx), identity(ctx).user(), userIn(jsonBody(ctx)))
                        .map(ChatMessage::toJson)));
  }

  private void create(RoutingContext ctx) {
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
          || n.doubleValue() > maxRoomSize) {
        throw ApiError.badRequest(
            "max must be a whole number from " + Room.MIN_MAX + " to " + maxRoomSize);
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
    limits.acquire(ctx, Action.CREATE_ROOM);
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
        .onSuccess(room -> json(ctx, 201, room))
        .onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx) {
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
        .onSuccess(room -> json(ctx, 200, room))
        .onFailure(ctx::fail);
  }

  /**
   * Checks password and capacity, grants the session access, answers the room and its newest
   * history.
   */
  private void enter(RoutingContext ctx) {
    String id = roomId(ctx);
    Identity who = identity(ctx);
    limits.acquire(ctx, Action.ENTER);
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
                              history.page(id, who.user(), null, null, ChatRoutes.HISTORY_PAGE);
                          return Future.all(people, chats, sessionWrites.save(ctx))
                              .map(
                                  all ->
                                      new JsonObject()
                                          .put("room", room.withCount(seat.count()).toJson())
                                          .put("participants", participantsJson(people.result()))
                                          .put("chats", new JsonArray(chats.result())));
                        }))
        .onSuccess(result -> json(ctx, 200, result))
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

  private static JsonArray roomsJson(List<Room> rooms) {
    return new JsonArray(rooms.stream().map(Room::toJson).toList());
  }

  private static JsonArray participantsJson(List<Participant> people) {
    return new JsonArray(people.stream().map(Participant::toJson).toList());
  }

  private static String newRoomId() {
    StringBuilder id = new StringBuilder(10);
    for (int i = 0; i < 10; i++)
      id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
    return id.toString();
  }
}
