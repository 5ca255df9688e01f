package roombus.http;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Web origins ({@code scheme://host[:port]}) in one canonical form: lower case, no default port, no
 * path. Two origins are the same exactly when their canonical forms are equal.
 */
public final class Origins {

  private Origins() {}

  /**
   * The origin of a URL or an {@code Origin} header ({@code http://Example.org:80/x} → {@code
   * http://example.org}); empty for anything that is not an http(s) or ws(s) URL with a host,
   * {@code null} included.
   */
  public static Optional<String> of(String url) {
    if (url == null || url.isBlank()) return Optional.empty();
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (Exception e) {
      return Optional.empty();
    }
    String scheme = uri.getScheme();
    String host = uri.getHost();
    if (scheme == null || host == null) return Optional.empty();
    scheme = scheme.toLowerCase(Locale.ROOT);
    boolean secure;
    switch (scheme) {
      case "http", "ws" -> secure = false;
      case "https", "wss" -> secure = true;
      default -> {
        return Optional.empty();
      }
    }
    int port = uri.getPort();
    int defaultPort = secure ? 443 : 80;
    String canonical =
        (secure ? "https" : "http")
            + "://"
            + host.toLowerCase(Locale.ROOT)
            + (port < 0 || port == defaultPort ? "" : ":" + port);
    return Optional.of(canonical);
  }

  /**
   * The origin a request's {@code Host} header names, seen from a page of that origin: {@code
   * scheme} is the page's ({@code http} or {@code https}, since TLS may end at a proxy).
   */
  public static Optional<String> ofHost(String scheme, String host) {
    if (host == null || host.isBlank()) return Optional.empty();
    return of(scheme + "://" + host.trim());
  }

  /** The websocket form of an origin: {@code http://h:1} → {@code ws://h:1}. */
  public static String webSocket(String origin) {
    return origin.startsWith("https:") ? "wss:" + origin.substring(6) : "ws:" + origin.substring(5);
  }
}
