package roombus.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.common.ApiError;
import roombus.common.ThrottledLog;

/**
 * Turns a failed API request into its JSON error, {@code {"error": "..."}}: the status and message
 * of an {@link ApiError} (with {@code Retry-After} for a limit), vertx-web's own 4xx (a body too
 * large, a bad request), and a 500 that says nothing of the cause, which is logged instead.
 */
final class ApiFailures implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(ApiFailures.class);

  /**
   * A request that fails on our side may be repeated by its client at will: a few lines a minute.
   */
  private static final ThrottledLog faultLog = ThrottledLog.of(log, 10);

  @Override
  public void handle(RoutingContext ctx) {
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
    Requests.error(ctx, status, message);
  }
}
