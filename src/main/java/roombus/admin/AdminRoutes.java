package roombus.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.HubConfig;
import roombus.common.ApiError;
import roombus.common.ThrottledLog;

/**
 * The admin view: the page {@code /admin.html} and its JSON API under {@code /api/admin}, open only
 * to requests that carry the configured token ({@code Authorization: Bearer <ADMIN_TOKEN>}).
 * Without a configured token the view is off: page and API answer 404.
 *
 * <pre>
 * GET    /api/admin/overview                 nodes, rooms with users and messages per minute
 * DELETE /api/admin/rooms/:id                close a room
 * POST   /api/admin/users/:user/disconnect   close every connection of a user, on every node
 * </pre>
 */
public final class AdminRoutes {

  private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);
  private static final ThrottledLog.PerKind REFUSALS =
      ThrottledLog.perKind(log, java.time.Duration.ofSeconds(1));

  private final AdminService admin;
  private final Optional<byte[]> token;

  public AdminRoutes(Vertx vertx, HubConfig config) {
    this.admin = AdminService.of(vertx);
    this.token = config.adminToken().map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  public void mount(Router router) {
    if (token.isEmpty()) {
      router
          .route("/api/admin/*")
          .handler(
              ctx -> json(ctx, 404, error("The admin view is off: no ADMIN_TOKEN is configured")));
      router
          .routeWithRegex("/admin\\.(html|js)")
          .handler(ctx -> json(ctx, 404, error("The admin view is off")));
      return;
    }
    router.route("/api/admin/*").handler(this::authorize);
    router.get("/api/admin/overview").handler(ctx -> respond(ctx, admin.overview()));
    router
        .delete("/api/admin/rooms/:id")
        .handler(
            ctx ->
                respond(
                    ctx,
                    admin
                        .closeRoom(ctx.pathParam("id"))
                        .map(v -> new JsonObject().put("closed", ctx.pathParam("id")))));
    router
        .post("/api/admin/users/:user/disconnect")
        .handler(
            ctx ->
                respond(
                    ctx,
                    admin
                        .disconnect(ctx.pathParam("user"))
                        .map(v -> new JsonObject().put("disconnected", ctx.pathParam("user")))));
    router.route("/api/admin/*").handler(ctx -> json(ctx, 404, error("No such admin route")));
  }

  private void authorize(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String given =
        header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? header.substring(7).trim()
            : null;
    if (given != null
        && MessageDigest.isEqual(token.get(), given.getBytes(StandardCharsets.UTF_8))) {
      ctx.next();
      return;
    }
    String remote =
        ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress();
    REFUSALS.warn(
        "admin",
        "event=admin_refused reason={} path={} remote={}",
        given == null ? "no_token" : "wrong_token",
        ctx.request().path(),
        remote);
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"roombus admin\"");
    json(ctx, 401, error("The admin view needs its token: Authorization: Bearer <ADMIN_TOKEN>"));
  }

  private static void respond(RoutingContext ctx, Future<JsonObject> result) {
    result
        .onSuccess(body -> json(ctx, 200, body))
        .onFailure(
            err -> {
              ApiError api = ApiError.from(err);
              if (api == null)
                log.warn(
                    "event=admin_failed path={} reason=\"{}\"",
                    ctx.request().path(),
                    err.getMessage());
              json(
                  ctx,
                  api != null ? api.status() : 500,
                  error(api != null ? api.getMessage() : "Something went wrong on our side"));
            });
  }

  private static JsonObject error(String message) {
    return new JsonObject().put("error", message);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) return;
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(body.toBuffer());
  }
}
