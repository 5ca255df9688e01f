package roombus.bridge;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.common.ThrottledLog;

/**
 * Polling and streaming without sticky load balancing. A SockJS session of a polling or streaming
 * transport lives on the node whose request opened it; its later requests may land on any node.
 * This handler, in front of the SockJS router, serves a request here when the session is here, and
 * otherwise forwards it to the node that holds the session (found in a cluster-wide map of the
 * cluster manager's shared data, written just before the session opens and removed when it ends),
 * streaming the answer back. Websockets need none of this: they stay on one node. Only public
 * Vert.x API is used: the node's own sessions are those its SockJS socket handler saw open.
 */
public final class SockJsSessionLocator {

  private static final Logger log = LoggerFactory.getLogger(SockJsSessionLocator.class);

  /** Said per request when the cluster map or a node fails: a few lines a minute. */
  private static final ThrottledLog mapLog = ThrottledLog.of(log, 5);

  /**
   * {@code /<server>/<session>/<transport>} under the bridge's mount point. sockjs-client's session
   * ids are 8 to 32 characters; anything longer is nobody's session.
   */
  private static final Pattern SESSION_PATH =
      Pattern.compile(".*/eventbus/[^/.]{1,64}/([^/.]{1,64})/([a-z_]+)$");

  private static final Set<String> OPENING =
      Set.of("xhr", "xhr_streaming", "eventsource", "htmlfile", "jsonp");
  private static final Set<String> OPENING_BY_POST = Set.of("xhr", "xhr_streaming");
  private static final Set<String> SENDING = Set.of("xhr_send", "jsonp_send");

  /** The SockJS sessions open on this node, by id: shared by the node's HTTP verticles. */
  private static final String OPEN_HERE = "roombus.sockjs.open";

  /** Which node holds each open SockJS session, cluster-wide. */
  private static final String OWNERS = "roombus.sockjs.owners";

  private static final Set<CharSequence> HOP_BY_HOP =
      Set.of(
          HttpHeaders.CONNECTION,
          HttpHeaders.TRANSFER_ENCODING,
          HttpHeaders.KEEP_ALIVE,
          HttpHeaders.UPGRADE,
          HttpHeaders.HOST,
          HttpHeaders.CONTENT_LENGTH);

  private final Vertx vertx;
  private final String self;
  private final LocalMap<String, Boolean> openHere;
  private final HttpClient forwarder;

  /** {@code self} is this node's HTTP address as other nodes reach it, {@code host:port}. */
  public SockJsSessionLocator(Vertx vertx, String self) {
    this.vertx = vertx;
    this.self = self;
    this.openHere = vertx.sharedData().getLocalMap(OPEN_HERE);
    this.forwarder =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setIdleTimeout(60),
            new PoolOptions().setHttp1MaxSize(64));
  }

  /** Whether a request is a poll or send of a SockJS session that is open on this node. */
  public boolean isOpenHere(String path) {
    if (path.indexOf("/eventbus/") < 0) return false;
    Matcher matcher = SESSION_PATH.matcher(path);
    return matcher.matches() && openHere.containsKey(matcher.group(1));
  }

  public void handle(RoutingContext ctx) {
    Matcher path = SESSION_PATH.matcher(ctx.request().path());
    if (!path.matches()) {
      ctx.next();
      return;
    }
    String session = path.group(1);
    String transport = path.group(2);
    boolean opening =
        OPENING.contains(transport)
            && (ctx.request().method() == HttpMethod.POST) == OPENING_BY_POST.contains(transport);
    if ((!opening && !SENDING.contains(transport)) || openHere.containsKey(session)) {
      ctx.next();
      return;
    }
    owners()
        .compose(
            map ->
                map.get(session)
                    .compose(
                        owner -> {
                          if (owner == null && opening) {
                            // about to open here: say so before SockJS answers, so that the
                            // client's next request finds
                            // it from any node; forgotten again if SockJS did not open it after all
                            // SockJS writes its open frame (ending a polling response) just before
                            // it hands the new
                            // socket over: look once the request's work on this event loop is done
                            ctx.addEndHandler(
                                done ->
                                    vertx
                                        .getOrCreateContext()
                                        .runOnContext(
                                            v -> {
                                              if (!openHere.containsKey(session))
                                                map.removeIfPresent(session, self);
                                            }));
                            return map.put(session, self).map((String) null);
                          }
                          return Future.succeededFuture(
                              owner == null || owner.equals(self) ? null : owner);
                        }))
        .onSuccess(
            owner -> {
              if (owner == null) ctx.next();
              else forward(ctx, owner, session);
            })
        .onFailure(
            err -> {
              mapLog.warn("Locating SockJS session failed: {}", err.getMessage());
              ctx.next();
            });
  }

  /** A SockJS session opened on this node. */
  public void opened(String sockUri) {
    String session = sessionOf(sockUri);
    if (session != null) openHere.put(session, Boolean.TRUE);
  }

  /** A SockJS session of this node ended: forget where it was. */
  public void closed(String sockUri) {
    String session = sessionOf(sockUri);
    if (session == null) return;
    openHere.remove(session);
    owners()
        .compose(map -> map.removeIfPresent(session, self))
        .onFailure(err -> log.debug("Could not forget SockJS session owner: {}", err.getMessage()));
  }

  private static String sessionOf(String sockUri) {
    Matcher path = SESSION_PATH.matcher(sockUri == null ? "" : sockUri);
    return path.matches() ? path.group(1) : null;
  }

  private Future<AsyncMap<String, String>> owners() {
    return vertx.sharedData().getAsyncMap(OWNERS);
  }

  private void forward(RoutingContext ctx, String owner, String session) {
    int colon = owner.lastIndexOf(':');
    RequestOptions options =
        new RequestOptions()
            .setMethod(ctx.request().method())
            .setHost(owner.substring(0, colon))
            .setPort(Integer.parseInt(owner.substring(colon + 1)))
            .setURI(ctx.request().uri())
            .setIdleTimeout(0);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    ctx.request()
        .headers()
        .forEach(
            (name, value) -> {
              if (HOP_BY_HOP.stream().noneMatch(h -> h.toString().equalsIgnoreCase(name)))
                headers.add(name, value);
            });
    headers.set(
        "X-Forwarded-For",
        ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress());
    options.setHeaders(headers);
    Buffer body =
        ctx.body() != null && ctx.body().buffer() != null ? ctx.body().buffer() : Buffer.buffer();
    HttpServerResponse response = ctx.response();
    // a pooled connection the owner just closed fails at once: one retry on a fresh one tells that
    // apart from an owner that is really gone
    forwarder
        .request(options)
        .compose(request -> request.send(body))
        .recover(stale -> forwarder.request(options).compose(request -> request.send(body)))
        .onSuccess(answer -> relay(answer, response))
        .onFailure(
            err -> {
              // the owner is gone: forget it, so the client's next session opens on a live node
              // not the session id: it is all a client needs to poll and send on that session
              mapLog.info(
                  "A SockJS session was on {}, which does not answer: {}", owner, err.getMessage());
              owners().compose(map -> map.removeIfPresent(session, owner));
              if (!response.ended()) response.setStatusCode(404).end();
            });
  }

  private static void relay(HttpClientResponse answer, HttpServerResponse response) {
    response.setStatusCode(answer.statusCode());
    answer
        .headers()
        .forEach(
            (name, value) -> {
              if (HOP_BY_HOP.stream().noneMatch(h -> h.toString().equalsIgnoreCase(name)))
                response.headers().add(name, value);
            });
    String length = answer.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
    else response.setChunked(true);
    answer.pipeTo(response);
  }
}
