package roombus.busclient;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * Where a hub is: host, port, TLS, and the path it is served under ({@code ""} at the root, else
 * {@code "/prefix"} without a trailing slash), read from its base URL.
 */
public record HubUrl(String host, int port, boolean ssl, String prefix) {

  /** The hub at {@code url} ({@code http://host:port/} or {@code https://…/prefix/}). */
  public static HubUrl of(URI url) {
    if (url.getHost() == null) throw new IllegalArgumentException("no host in '" + url + "'");
    boolean ssl = "https".equalsIgnoreCase(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : ssl ? 443 : 80;
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
    return new HubUrl(url.getHost(), port, ssl, path);
  }

  public static HubUrl of(String url) {
    return of(URI.create(url));
  }

  /** A path of the hub: {@code path("api/me")} is {@code /api/me}, or {@code /prefix/api/me}. */
  public String path(String relative) {
    return prefix + (relative.startsWith("/") ? relative : "/" + relative);
  }

  /**
   * A request for {@code path(relative)} that fails when no answer came {@code timeoutMs} after it
   * was sent. It waits for a pooled connection without a timer of its own: in Vert.x 5.0.7 that
   * timer (the request's timeout unless a connect timeout is set) can be armed after the wait was
   * served, and then fails a completed promise ("Promise already completed", logged as an unhandled
   * exception). Connecting keeps the HTTP client's connect timeout.
   */
  public RequestOptions request(HttpMethod method, String relative, long timeoutMs) {
    return new RequestOptions()
        .setMethod(method)
        .setHost(host)
        .setPort(port)
        .setSsl(ssl)
        .setURI(path(relative))
        .setTimeout(timeoutMs)
        .setConnectTimeout(0);
  }
}
