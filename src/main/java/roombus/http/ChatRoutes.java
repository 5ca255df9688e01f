package roombus.http;

import static roombus.http.Requests.identity;
import static roombus.http.Requests.json;
import static roombus.http.Requests.jsonBody;
import static roombus.http.Requests.longParam;
import static roombus.http.Requests.notBanned;
import static roombus.http.Requests.respond;
import static roombus.http.Requests.roomId;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import roombus.chat.ChatService;
import roombus.chat.History;
import roombus.common.ApiError;
import roombus.identity.Identity;
import roombus.model.ChatMessage;
import roombus.model.Whisper;
import roombus.store.Stores;

/**
 * A room's messages under {@code /api/rooms/:id/chats}: its history a page at a time (older before
 * a {@code seq}, or everything after one to catch up), and posting a text or a whisper over HTTP.
 */
final class ChatRoutes {

  /** A page of history when the client names no limit, and what entering a room answers. */
  static final int HISTORY_PAGE = 50;

  private static final int MAX_PAGE = 100;
  private static final int MAX_CATCH_UP = 1000;

  private final RequestLimits limits;
  private final Stores store;
  private final ChatService chats;
  private final History history;

  ChatRoutes(Vertx vertx, RequestLimits limits, ChatService chats) {
    this.limits = limits;
    this.chats = chats;
    this.store = Stores.of(vertx);
    this.history = new History(vertx);
  }

  void mount(Router router) {
    router.get("/api/rooms/:id/chats").handler(RequestLimits::requireAccess).handler(this::history);
    router.post("/api/rooms/:id/chats").handler(RequestLimits::requireAccess).handler(this::post);
  }

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
        .onSuccess(page -> json(ctx, 200, new JsonArray(page)))
        .onFailure(ctx::fail);
  }

  private void post(RoutingContext ctx) {
    Identity who = identity(ctx);
    limits.limitPosts(roomId(ctx), who);
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
}
