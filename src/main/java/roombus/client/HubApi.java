package roombus.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The hub's JSON API as the command-line client uses it, keeping the {@code roombus.sid} cookie the hub
 * gives on the first request (a one-cookie jar), so every later call is the same session.
 */
final class HubApi {

  private static final String COOKIE = "roombus.sid";

  private final ClientOptions options;
  private final HttpClientAgent http;
  private String sid;

  HubApi(Vertx vertx, ClientOptions options) {
    this.options = options;
    this.http = vertx.createHttpClient(new HttpClientOptions()
        .setSsl(options.ssl())
        .setConnectTimeout(10_000)
        .setIdleTimeout(60));
  }

  /** The session cookie's value, once the hub gave one. */
  String sid() {
    return sid;
  }

  /** Starts the session: {@code {user, color}}. */
  Future<JsonObject> me() {
    return call(HttpMethod.GET, "api/me", null, 200).map(Buffer::toJsonObject);
  }

  Future<JsonArray> rooms() {
    return call(HttpMethod.GET, "api/rooms", null, 200).map(Buffer::toJsonArray);
  }

  /** Creates a room (this session may then register on it): the room. */
  Future<JsonObject> createRoom(String title, String password) {
    JsonObject body = new JsonObject().put("title", title);
    if (password != null) body.put("password", password);
    return call(HttpMethod.POST, "api/rooms", body, 201).map(Buffer::toJsonObject);
  }

  /** Enters a room: {@code {room, participants, chats}}. */
  Future<JsonObject> enter(String roomId, String password) {
    JsonObject body = new JsonObject();
    if (password != null) body.put("password", password);
    return call(HttpMethod.POST, "api/rooms/" + roomId + "/enter", body, 200).map(Buffer::toJsonObject);
  }

  /** A token for the TCP bridge, speaking for this session. */
  Future<String> token() {
    return call(HttpMethod.POST, "api/token", new JsonObject(), 201).map(b -> b.toJsonObject().getString("token"));
  }

  Future<Void> close() {
    return http.close();
  }

  private Future<Buffer> call(HttpMethod method, String path, JsonObject body, int expected) {
    RequestOptions request = new RequestOptions().setMethod(method)
        .setHost(options.host()).setPort(options.httpPort()).setURI(options.path(path))
        .setTimeout(30_000);
    if (sid != null) request.addHeader("Cookie", COOKIE + "=" + sid);
    if (body != null) request.addHeader("Content-Type", "application/json");
    return http.request(request)
        .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
        .compose(response -> response.body().compose(bytes -> {
          keepCookie(response);
          if (response.statusCode() == expected) return Future.succeededFuture(bytes);
          return Future.failedFuture(new ClientError(method + " /" + path + ": " + response.statusCode() + " " + errorOf(bytes)));
        }));
  }

  private void keepCookie(HttpClientResponse response) {
    for (String cookie : response.cookies()) {
      if (cookie.startsWith(COOKIE + "=")) sid = cookie.substring(COOKIE.length() + 1).split(";", 2)[0];
    }
  }

  private static String errorOf(Buffer bytes) {
    try {
      String error = bytes.toJsonObject().getString("error");
      if (error != null) return error;
    } catch (RuntimeException ignored) {
      // not the hub's JSON error
    }
    return bytes.length() > 200 ? bytes.getString(0, 200) + "…" : bytes.toString();
  }

  /** A failure to show the user as it is, without a stack trace. */
  static final class ClientError extends RuntimeException {
    ClientError(String message) {
      super(message, null, false, false);
    }
  }
}
