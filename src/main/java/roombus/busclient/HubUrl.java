package roombus.busclient;

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
}
