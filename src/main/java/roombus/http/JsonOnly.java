package roombus.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * State-changing API routes read JSON only: a body of any other type (a form, {@code text/plain}
 * holding JSON, which a foreign page can send without asking the browser first) is answered 415. A
 * request without a body needs no type. GIF uploads, which are multipart by nature, have their own
 * checks ({@link GifUploadHandler}).
 */
final class JsonOnly implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!changesState(request.method()) || request.path().endsWith("/gifs") || isJson(request)) {
      ctx.next();
      return;
    }
    Requests.error(ctx, 415, "Send JSON, with Content-Type: application/json");
  }

  private static boolean changesState(HttpMethod method) {
    return method == HttpMethod.POST
        || method == HttpMethod.PUT
        || method == HttpMethod.PATCH
        || method == HttpMethod.DELETE;
  }

  private static boolean isJson(HttpServerRequest request) {
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null) return !hasBody(request);
    int semicolon = type.indexOf(';');
    String media = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
    return media.toLowerCase(Locale.ROOT).equals("application/json");
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) return !length.trim().equals("0");
    return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
  }
}
