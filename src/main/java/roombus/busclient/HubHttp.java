package roombus.busclient;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The hub's JSON API as one visitor: it keeps the {@code roombus.sid} cookie the hub gives on the
 * first answer (a one-cookie jar), so every later call, and the bridge connection opened with
 * {@link #sid()}, is the same session. A call answered with a status other than 2xx fails with a
 * {@link HubHttpException} carrying the hub's {@code error}.
 *
 * <p>Many visitors may share one {@link HttpClient} (its pool): {@link #HubHttp(HttpClient,
 * HubUrl)}.
 */
public final class HubHttp {

  /** The session cookie of a roombus hub. */
  public static final String SESSION_COOKIE = "roombus.sid";

  private final HttpClient http;
  private final HubUrl hub;
  private final boolean ownsClient;
  private volatile String sid;

  /** A visitor on a shared HTTP client, which {@link #close()} leaves open. */
  public HubHttp(HttpClient http, HubUrl hub) {
    this(http, hub, false);
  }

  private HubHttp(HttpClient http, HubUrl hub, boolean ownsClient) {
    this.http = http;
    this.hub = hub;
    this.ownsClient = ownsClient;
  }

  /** A visitor with an HTTP client of its own, closed by {@link #close()}. */
  public static HubHttp create(Vertx vertx, HubUrl hub) {
    return new HubHttp(
        vertx.createHttpClient(
            new HttpClientOptions().setSsl(hub.ssl()).setConnectTimeout(10_000).setIdleTimeout(60)),
        hub,
        true);
  }

  /** The session cookie's value, once the hub gave one (null before). */
  public String sid() {
    return sid;
  }

  /** Starts (or shows) the session: {@code {user, color}}. */
  public Future<JsonObject> me() {
    return call(HttpMethod.GET, "api/me", null).map(HubHttp::object);
  }

  /** The open rooms. */
  public Future<JsonArray> rooms() {
    return call(HttpMethod.GET, "api/rooms", null).map(Buffer::toJsonArray);
  }

  /**
   * Creates a room, which this session may then register on: the room. {@code max} and {@code
   * password} may be null.
   */
  public Future<JsonObject> createRoom(String title, Integer max, String password) {
    JsonObject body = new JsonObject().put("title", title);
    if (max != null) body.put("max", max);
    if (password != null) body.put("password", password);
    return call(HttpMethod.POST, "api/rooms", body).map(HubHttp::object);
  }

  /**
   * Enters a room (takes a seat): {@code {room, participants, chats}}. {@code password} may be
   * null.
   */
  public Future<JsonObject> enter(String roomId, String password) {
    JsonObject body = new JsonObject();
    if (password != null) body.put("password", password);
    return call(HttpMethod.POST, "api/rooms/" + roomId + "/enter", body).map(HubHttp::object);
  }

  /** A token for the TCP bridge ({@link BusHeaders#TOKEN}), speaking for this session. */
  public Future<String> token() {
    return call(HttpMethod.POST, "api/token", new JsonObject())
        .map(bytes -> object(bytes).getString("token"));
  }

  public Future<Void> close() {
    return ownsClient ? http.close() : Future.succeededFuture();
  }

  private Future<Buffer> call(HttpMethod method, String path, JsonObject body) {
    RequestOptions request = hub.request(method, path, 30_000);
    String cookie = sid;
    if (cookie != null) request.addHeader("Cookie", SESSION_COOKIE + "=" + cookie);
    if (body != null) request.addHeader("Content-Type", "application/json");
    return http.request(request)
        .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
        .compose(
            response ->
                response
                    .body()
                    .compose(
                        bytes -> {
                          keepCookie(response);
                          if (response.statusCode() / 100 == 2)
                            return Future.succeededFuture(bytes);
                          return Future.failedFuture(
                              new HubHttpException(
                                  method
                                      + " /"
                                      + path
                                      + ": "
                                      + response.statusCode()
                                      + " "
                                      + errorOf(bytes),
                                  response.statusCode()));
                        }));
  }

  private void keepCookie(HttpClientResponse response) {
    for (String cookie : response.cookies()) {
      if (cookie.startsWith(SESSION_COOKIE + "="))
        sid = cookie.substring(SESSION_COOKIE.length() + 1).split(";", 2)[0];
    }
  }

  private static JsonObject object(Buffer bytes) {
    return bytes.length() == 0 ? new JsonObject() : bytes.toJsonObject();
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
}
