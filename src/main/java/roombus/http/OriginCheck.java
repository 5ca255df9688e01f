package roombus.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * Cross-site use with a visitor's cookie stops here. Event-bus connections (every SockJS transport
 * and the raw websocket) and state-changing requests (anything but GET, HEAD and OPTIONS) are
 * accepted only from the hub's own origins: the origin the request was addressed to (its {@code
 * Host}), the hub's live nodes ({@link NodeDirectory}), and the origins {@code ALLOWED_ORIGINS}
 * adds; or a browser's own word that the page is of the same origin ({@code Sec-Fetch-Site:
 * same-origin}). A foreign {@code Origin}, {@code Origin: null} otherwise, or a browser saying the
 * request comes from another site without naming it is answered 403 before anything else reads the
 * request, so no transport can reflect a foreign origin with credentials. A request with no {@code
 * Origin} and no {@code Sec-Fetch-Site} is not a browser's cross-site request (command-line
 * clients, the load tool, other servers) and passes.
 */
final class OriginCheck implements Handler<RoutingContext> {

  private final Set<String> allowed;
  private final NodeDirectory nodes;

  OriginCheck(List<String> allowedOrigins, NodeDirectory nodes) {
    this.allowed =
        Set.copyOf(allowedOrigins.stream().flatMap(o -> Origins.of(o).stream()).toList());
    this.nodes = nodes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!guarded(request) || accepts(request)) {
      ctx.next();
      return;
    }
    Requests.error(ctx, 403, "Requests from other sites are not accepted here");
  }

  private static boolean guarded(HttpServerRequest request) {
    HttpMethod method = request.method();
    boolean reading =
        method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
    return !reading || request.path().startsWith("/eventbus/");
  }

  /** Whether a request comes from a page of the hub, or from no page at all. */
  boolean accepts(HttpServerRequest request) {
    // set by the browser alone (no page can): the request comes from a page of this very origin,
    // even when the browser hides that origin as "null" (SockJS's jsonp transport posts a form)
    String site = request.getHeader("Sec-Fetch-Site");
    if ("same-origin".equals(site)) return true;
    String origin = request.getHeader("Origin");
    if (origin == null) return site == null || site.equals("none");
    String given = Origins.of(origin).orElse(null);
    if (given == null) return false; // "null", or not an origin at all
    if (allowed.contains(given) || nodes.origins().contains(given)) return true;
    // the origin the request was sent to, whether the page was served over http or https
    String scheme = given.startsWith("https:") ? "https" : "http";
    return Origins.ofHost(scheme, request.getHeader("Host")).map(given::equals).orElse(false);
  }
}
