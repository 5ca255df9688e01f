package roombus.http;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import roombus.common.ApiError;
import roombus.identity.Identity;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;
import roombus.model.Room;

/** What the API's routes read from a request and how they answer it: JSON, no caching. */
final class Requests {

  private Requests() {}

  static Identity identity(RoutingContext ctx) {
    return Identity.of(ctx.session());
  }

  static String roomId(RoutingContext ctx) {
    return ctx.pathParam("id");
  }

  /** The client's address as this node sees it (a reverse proxy's, behind one), or null. */
  static String clientAddress(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    return remote == null ? null : remote.hostAddress();
  }

  /** The body as a JSON object, or a 400 that says so. */
  static JsonObject jsonBody(RoutingContext ctx) {
    try {
      Object json = ctx.body().isEmpty() ? null : ctx.body().asJsonObject();
      if (json == null) throw ApiError.badRequest("The body must be a JSON object");
      return (JsonObject) json;
    } catch (DecodeException | ClassCastException e) {
      throw ApiError.badRequest("The body must be a JSON object");
    }
  }

  /** A whole-number query parameter, null when absent, or a 400. */
  static Long longParam(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    if (value == null || value.isEmpty()) return null;
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name + " must be a whole number");
    }
  }

  /** The user a body names ({@code {"user": "..."}}), or a 400. */
  static String userIn(JsonObject body) {
    if (!(body.getValue("user") instanceof String user) || user.isEmpty()) {
      throw ApiError.badRequest("Name the user by their id: {\"user\": \"...\"}");
    }
    return user;
  }

  /** Refuses users the owner removed from the room. */
  static Function<Room, Future<Room>> notBanned(RoutingContext ctx) {
    String user = identity(ctx).user();
    return room ->
        room.removed(user)
            ? Future.failedFuture(new Refusal(Reason.REMOVED))
            : Future.succeededFuture(room);
  }

  /** Answers a JSON object or array, not to be cached. */
  static void json(RoutingContext ctx, int status, Object body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(body instanceof JsonArray a ? a.toBuffer() : ((JsonObject) body).toBuffer());
  }

  /** Answers an error that the client can read: {@code {"error": message}}. */
  static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message));
  }

  /** Answers what {@code result} gives, or fails the request with its failure. */
  static <T> void respond(RoutingContext ctx, int status, Future<T> result) {
    result.onSuccess(body -> json(ctx, status, body)).onFailure(ctx::fail);
  }
}
