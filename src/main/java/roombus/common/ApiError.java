package roombus.common;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Duration;
import roombus.model.Refusal;

/**
 * A failure as a user sees it: an HTTP status and a sentence. The HTTP edge answers with it, and
 * the bridge puts the same status and sentence in its error frames. Domain {@link Refusal}s become
 * ApiErrors here, in one place.
 */
public final class ApiError extends RuntimeException {

  private final int status;
  private final long retryAfterSeconds;

  public ApiError(int status, String message) {
    this(status, message, 0);
  }

  private ApiError(int status, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  /**
   * Seconds the client should wait before trying again (the {@code Retry-After} header), or 0 when
   * the answer does not say.
   */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /**
   * 429: a limit against abuse says no for now; {@code retryAfter} (rounded up to whole seconds, at
   * least 1) says when it will say yes.
   */
  public static ApiError tooMany(String message, Duration retryAfter) {
    long millis = Math.max(1, retryAfter.toMillis());
    return new ApiError(429, message, (millis + 999) / 1000);
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

  /**
   * The ApiError a failure means for the user, or {@code null} when it is a fault of the hub. A
   * part of the hub that did not answer in time (an event-bus request that timed out: the store
   * verticle or the numbering node behind on its work) means busy, as a refusal for load does:
   * nothing is wrong with the request, and it may be sent again (a post with the same key is stored
   * once).
   */
  public static ApiError from(Throwable failure) {
    if (failure instanceof ApiError e) return e;
    if (failure instanceof Refusal r) return of(r);
    if (timedOut(failure))
      return new ApiError(503, "The hub is busy and did not answer in time, try again");
    return null;
  }

  /**
   * Whether the failure is a part of the hub that did not answer in time (an event-bus request).
   */
  public static boolean timedOut(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT;
  }

  public static ApiError of(Refusal refusal) {
    String detail = refusal.detail();
    return switch (refusal.reason()) {
      case INVALID -> new ApiError(400, detail != null ? detail : "Bad request");
      case NO_SUCH_ROOM -> new ApiError(404, "No such room");
      case NO_SUCH_USER -> new ApiError(404, "That user is not in the room");
      case NO_SUCH_GIF -> new ApiError(404, "No such GIF");
      case NOT_ENTERED -> new ApiError(403, detail != null ? detail : "Enter the room first");
      case PASSWORD_REQUIRED -> new ApiError(403, "This room needs a password");
      case WRONG_PASSWORD -> new ApiError(403, "Wrong password");
      case NOT_OWNER -> new ApiError(403, "Only the owner can do that");
      case REMOVED -> new ApiError(403, "The owner removed you from this room");
      case ROOM_FULL -> new ApiError(409, "The room is full");
      case TOO_FAST -> tooMany("Slow down: too many messages", Duration.ofSeconds(1));
      case BUSY -> new ApiError(503, "The hub is busy: the message was not stored, try again");
    };
  }
}
