package roombus.http;

import static roombus.http.Requests.clientAddress;
import static roombus.http.Requests.identity;
import static roombus.http.Requests.roomId;

import io.vertx.ext.web.RoutingContext;
import roombus.chat.ChatService;
import roombus.chat.PostLimiter;
import roombus.common.ApiError;
import roombus.guard.RateLimits;
import roombus.guard.RateLimits.Action;
import roombus.identity.Identity;
import roombus.identity.RoomAccess;
import roombus.metrics.HubMetrics;

/** What a request must pass before its route runs: room access, rate limits, the posting limit. */
final class RequestLimits {

  private final RateLimits limits;
  private final PostLimiter postLimiter;
  private final ChatService chats;
  private final HubMetrics metrics;

  RequestLimits(RateLimits limits, PostLimiter postLimiter, ChatService chats, HubMetrics metrics) {
    this.limits = limits;
    this.postLimiter = postLimiter;
    this.chats = chats;
    this.metrics = metrics;
  }

  /** A handler that lets only sessions that entered the room through: 403 for the others. */
  static void requireAccess(RoutingContext ctx) {
    if (!RoomAccess.has(ctx.session(), roomId(ctx))) {
      ctx.fail(ApiError.forbidden("Enter the room first"));
      return;
    }
    ctx.next();
  }

  /** A limit of {@link RateLimits} before the next handler: 429 with Retry-After past it. */
  void limited(RoutingContext ctx, Action action) {
    acquire(ctx, action);
    ctx.next();
  }

  /** Takes a permit of the user and their address for {@code action}, or throws the 429. */
  void acquire(RoutingContext ctx, Action action) {
    try {
      limits.acquire(action, identity(ctx).user(), clientAddress(ctx));
    } catch (ApiError refused) {
      metrics.limited(action.meter());
      throw refused;
    }
  }

  /** The user's posting limit (texts, whispers and GIFs alike), or throws the 429. */
  void limitPosts(String roomId, Identity who) {
    if (!postLimiter.tryAcquire(who.user())) throw chats.tooFast(roomId, who);
  }
}
