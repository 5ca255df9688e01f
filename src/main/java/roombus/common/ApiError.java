package roombus.common;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A failure a user should see, with the HTTP status that describes it. It crosses the event bus as a
 * {@link ReplyException} whose failure code is the status, and comes back as itself.
 */
public final class ApiError extends RuntimeException {

  private final int status;

  public ApiError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, message);
  }

  public static ApiError forbidden(String message) {
    return new ApiError(403, message);
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, message);
  }

  public static ApiError conflict(String message) {
    return new ApiError(409, message);
  }

  public ReplyException toReply() {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, status, getMessage());
  }

  /** The ApiError behind a failure, if it is one (directly or as an event-bus reply). */
  public static ApiError from(Throwable failure) {
    if (failure instanceof ApiError e) return e;
    if (failure instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && r.failureCode() >= 400 && r.failureCode() < 500) {
      return new ApiError(r.failureCode(), r.getMessage());
    }
    return null;
  }
}
