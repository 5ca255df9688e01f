package roombus.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SessionHandler;
import roombus.identity.Identity;

/**
 * Session changes that the next request must already see are written before the answer goes out:
 * a new visitor's identity, and access to a room. (Vert.x otherwise stores the session while the
 * response is sent, and a fast client could read the old one.)
 */
final class SessionWrites {

  private final SessionHandler handler;

  SessionWrites(SessionHandler handler) {
    this.handler = handler;
  }

  /** Gives a new visitor their identity, stored before the request goes on. */
  void ensureIdentity(RoutingContext ctx) {
    if (ctx.session() == null || Identity.peek(ctx.session()) != null) {
      ctx.next();
      return;
    }
    Identity.of(ctx.session());
    save(ctx).onComplete(done -> ctx.next());
  }

  Future<Void> save(RoutingContext ctx) {
    return handler.flush(ctx, true);
  }
}
