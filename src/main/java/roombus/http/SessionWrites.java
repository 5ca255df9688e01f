package roombus.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
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

  /**
   * Gives a new visitor their identity, stored before the request goes on. The request is held while
   * the session is written, as {@link SessionHandler} holds it while reading: a websocket upgrade (a
   * first visit of a client without a cookie, such as sockjs-client in Node) cannot be accepted once
   * its request has been read to the end. POSTs are already held until their body handler.
   */
  void ensureIdentity(RoutingContext ctx) {
    if (ctx.session() == null || Identity.peek(ctx.session()) != null) {
      ctx.next();
      return;
    }
    Identity.of(ctx.session());
    HttpServerRequest request = ctx.request();
    boolean hold = request.method() != HttpMethod.POST && !request.isEnded();
    if (hold) request.pause();
    save(ctx).onComplete(done -> {
      if (hold) request.resume();
      ctx.next();
    });
  }

  Future<Void> save(RoutingContext ctx) {
    return handler.flush(ctx, true);
  }
}
