package roombus.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SessionHandler;

/**
 * Session changes that the next request must already see are written before the answer goes out:
 * access to a room, a bridge token. (Vert.x otherwise stores the session while the response is
 * sent, and a fast client could read the old one.)
 */
final class SessionWrites {

  private final SessionHandler handler;

  SessionWrites(SessionHandler handler) {
    this.handler = handler;
  }

  Future<Void> save(RoutingContext ctx) {
    return handler.flush(ctx, true);
  }
}
