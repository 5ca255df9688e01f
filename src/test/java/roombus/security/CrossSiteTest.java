package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.Reply;
import roombus.TestHub.User;

/**
 * Another site's page, running in a visitor's browser with the visitor's cookie, can neither open
 * the visitor's event bus nor change anything in their name; and the hub's answers cannot be read
 * as something else.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Cross-site use with a visitor's cookie is refused")
class CrossSiteTest {

  private static final String EVIL = "http://evil.example";
  private static final String FRIEND = "https://chat.example";

  @StartHub(settings = "ALLOWED_ORIGINS=" + FRIEND)
  private static TestHub hub;

  @ParameterizedTest(name = "Origin: {0}")
  @ValueSource(strings = {EVIL, "null", "http://127.0.0.1:1", "http://127.0.0.1.evil.example"})
  @DisplayName(
      "a websocket upgrade from a foreign origin (another site, another port of the same host, the"
          + " opaque null) is refused with 403, on the raw endpoint and on SockJS's")
  void foreignWebSocket(String origin, Vertx vertx) {
    User victim = hub.newUser();
    for (String path : List.of("/eventbus/websocket", "/eventbus/123/victim01/websocket")) {
      Throwable refused = catchThrowable(() -> webSocket(vertx, victim, path, origin));
      while (refused != null && !(refused instanceof UpgradeRejectedException))
        refused = refused.getCause();
      assertThat(refused).as(path).isInstanceOf(UpgradeRejectedException.class);
      assertThat(((UpgradeRejectedException) refused).getStatus()).as(path).isEqualTo(403);
    }
  }

  @Test
  @DisplayName("a websocket from the hub's own page, or without any Origin (a tool), opens")
  void ownWebSocket(Vertx vertx) throws Exception {
    User visitor = hub.newUser();
    webSocket(vertx, visitor, "/eventbus/websocket", hub.base()).close();
    webSocket(vertx, visitor, "/eventbus/websocket", null).close();
  }

  @Test
  @DisplayName(
      "every SockJS transport (info, xhr, streaming, sends, preflight, eventsource, htmlfile, jsonp,"
          + " the iframe) refuses another site's page with 403 and never reflects its origin with"
          + " credentials")
  void foreignSockJs() {
    User victim = hub.newUser();
    for (Reply reply :
        List.of(
            victim.call("GET", "/eventbus/info", null, "Origin", EVIL),
            victim.call("POST", "/eventbus/123/victim02/xhr", "", "Origin", EVIL),
            victim.call("POST", "/eventbus/123/victim03/xhr_streaming", "", "Origin", EVIL),
            victim.call(
                "POST",
                "/eventbus/123/victim02/xhr_send",
                "[\"{\\\"type\\\":\\\"ping\\\"}\"]",
                "Origin",
                EVIL),
            victim.call("OPTIONS", "/eventbus/123/victim02/xhr", null, "Origin", EVIL),
            // the transports a page loads as a script, a frame or an event source name no origin,
            // but the browser says where the page is from
            victim.call(
                "GET", "/eventbus/123/victim04/eventsource", null, "Sec-Fetch-Site", "cross-site"),
            victim.call(
                "GET", "/eventbus/123/victim05/htmlfile?c=cb", null, "Sec-Fetch-Site", "same-site"),
            victim.call(
                "GET", "/eventbus/123/victim06/jsonp?c=cb", null, "Sec-Fetch-Site", "cross-site"),
            victim.call("GET", "/eventbus/iframe.html", null, "Sec-Fetch-Site", "cross-site"))) {
      assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
      assertThat(reply.header("Access-Control-Allow-Origin")).as(reply.toString()).isNull();
      assertThat(reply.header("Access-Control-Allow-Credentials")).as(reply.toString()).isNull();
    }
  }

  @Test
  @DisplayName(
      "the hub's own origin and an origin ALLOWED_ORIGINS lists get SockJS's info, with their own"
          + " origin reflected")
  void allowedSockJs() {
    User visitor = hub.newUser();
    for (String origin : List.of(hub.base(), FRIEND)) {
      Reply info = visitor.call("GET", "/eventbus/info", null, "Origin", origin);
      assertThat(info.status()).as(origin).isEqualTo(200);
      assertThat(info.header("Access-Control-Allow-Origin")).isEqualTo(origin);
    }
  }

  @Test
  @DisplayName(
      "state-changing requests from a foreign origin are refused with 403 and change nothing:"
          + " creating a room, entering, posting, handing over, deleting, asking for a token")
  void foreignStateChanges() {
    User victim = hub.newUser();
    String room = victim.createRoom("Victim's room").getString("id");
    int rooms = victim.get("/api/rooms").array().size();
    String json = "application/json";

    String path = "/api/rooms/" + room;
    List<Reply> replies =
        List.of(
            postJsonFromEvil(victim, "/api/rooms", "{\"title\":\"Evil\"}"),
            postJsonFromEvil(victim, path + "/enter", "{}"),
            postJsonFromEvil(victim, path + "/chats", "{\"chat\":\"forged\"}"),
            postJsonFromEvil(victim, path + "/owner", "{\"user\":\"0123456789abcdef\"}"),
            postJsonFromEvil(victim, path + "/kick", "{\"user\":\"0123456789abcdef\"}"),
            victim.call(
                "POST",
                path + "/gifs",
                "--x--\r\n",
                "Origin",
                EVIL,
                "Content-Type",
                "multipart/form-data; boundary=x"),
            victim.call("DELETE", path, null, "Origin", EVIL),
            victim.call("POST", "/api/token", null, "Origin", EVIL),
            // a browser that names no origin but says the request comes from another site
            victim.call(
                "POST",
                path + "/chats",
                "{\"chat\":\"forged\"}",
                "Sec-Fetch-Site",
                "cross-site",
                "Content-Type",
                json));

    for (Reply reply : replies) {
      assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
      assertThat(reply.json().getString("error")).contains("other sites");
    }
    assertThat(victim.get("/api/rooms").array().size()).isEqualTo(rooms);
    assertThat(victim.get("/api/rooms/" + room).status()).isEqualTo(200);
    assertThat(victim.history(room).array().stream().map(Object::toString))
        .noneMatch(m -> m.contains("forged"));
  }

  @Test
  @DisplayName("the same requests from the hub's own page (its origin sent) are accepted")
  void ownStateChanges() {
    User visitor = hub.newUser();
    Reply created =
        visitor.call(
            "POST",
            "/api/rooms",
            "{\"title\":\"Own page\"}",
            "Origin",
            hub.base(),
            "Content-Type",
            "application/json",
            "Sec-Fetch-Site",
            "same-origin");
    assertThat(created.status()).isEqualTo(201);
    String room = created.json().getString("id");
    Reply said =
        visitor.call(
            "POST",
            "/api/rooms/" + room + "/chats",
            "{\"chat\":\"hello\"}",
            "Origin",
            hub.base(),
            "Content-Type",
            "application/json; charset=utf-8");
    assertThat(said.status()).isEqualTo(201);
  }

  @ParameterizedTest(name = "Content-Type: {0}")
  @ValueSource(
      strings = {
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x"
      })
  @DisplayName(
      "JSON sent as anything but application/json (what a foreign form can send unasked) is 415 and"
          + " creates nothing")
  void jsonOnly(String type) {
    User visitor = hub.newUser();
    int rooms = visitor.get("/api/rooms").array().size();
    Reply reply = visitor.call("POST", "/api/rooms", "{\"title\":\"Plain\"}", "Content-Type", type);
    assertThat(reply.status()).isEqualTo(415);
    assertThat(reply.json().getString("error")).contains("application/json");
    assertThat(visitor.get("/api/rooms").array().size()).isEqualTo(rooms);
  }

  @Test
  @DisplayName("a body without any Content-Type is 415 too; a POST without a body needs none")
  void bodyWithoutType() {
    User visitor = hub.newUser();
    String room = visitor.createRoom("Typeless").getString("id");
    assertThat(visitor.call("POST", "/api/rooms/" + room + "/chats", "{\"chat\":\"x\"}").status())
        .isEqualTo(415);
    assertThat(hub.newUser().call("POST", "/api/rooms/" + room + "/enter", null).status())
        .isEqualTo(200);
  }

  @Test
  @DisplayName(
      "every answer says nosniff: API errors, a missing GIF, refusals, the page, the room list")
  void noSniffing() {
    User visitor = hub.newUser();
    for (Reply reply :
        List.of(
            visitor.get("/api/nope"),
            visitor.get("/api/rooms/nosuchroom"),
            visitor.get("/gif/nosuchgif"),
            visitor.get("/gif/000000000000000000000000"),
            visitor.call("POST", "/api/rooms", "{}", "Content-Type", "text/plain"),
            visitor.call("POST", "/api/rooms", "{}", "Origin", EVIL),
            visitor.get("/api/rooms"),
            visitor.get("/room.html"))) {
      assertThat(reply.status()).as(reply.toString()).isNotEqualTo(500);
      assertThat(reply.header("X-Content-Type-Options")).as(reply.toString()).isEqualTo("nosniff");
    }
  }

  @Test
  @DisplayName(
      "the hub lists its nodes at /api/nodes, and the page's CSP lets it connect to those and"
          + " nowhere else")
  void nodesAndCsp() {
    User visitor = hub.newUser();
    JsonObject nodes = visitor.get("/api/nodes").json();
    assertThat(nodes.getString("self")).isEqualTo(hub.base());
    assertThat(nodes.getJsonArray("nodes").getList()).containsExactly(hub.base());
    String csp = visitor.get("/room.html").header("Content-Security-Policy");
    String connect = csp.substring(csp.indexOf("connect-src")).split(";")[0];
    assertThat(connect)
        .contains("'self'", hub.base(), hub.base().replace("http:", "ws:"))
        .doesNotContain(" http: ", " ws:;", "*");
    assertThat(connect.split(" ")).doesNotContain("http:", "https:", "ws:", "wss:");
  }

  /** A JSON POST with the victim's cookie, as another site's page would send it. */
  private static Reply postJsonFromEvil(User victim, String path, String json) {
    return victim.call("POST", path, json, "Origin", EVIL, "Content-Type", "application/json");
  }

  private static io.vertx.core.http.WebSocket webSocket(
      Vertx vertx, User user, String path, String origin) {
    int port = Integer.parseInt(hub.base().substring(hub.base().lastIndexOf(':') + 1));
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI(path)
            // Vert.x sends the target's own origin unless told not to; a tool sends none
            .setAllowOriginHeader(origin != null)
            .addHeader("Cookie", "roombus.sid=" + user.sid());
    if (origin != null) options.addHeader("Origin", origin);
    WebSocketClient client = vertx.createWebSocketClient();
    return TestHub.await(client.connect(options), Duration.ofSeconds(10));
  }
}
