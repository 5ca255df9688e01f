package roombus.busclient;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A hub's base URL gives its host, port, TLS and path prefix")
class HubUrlTest {

  @Test
  @DisplayName("at the root, with or without a trailing slash, paths start at /")
  void root() {
    assertThat(HubUrl.of("http://127.0.0.1:8080"))
        .isEqualTo(new HubUrl("127.0.0.1", 8080, false, ""));
    assertThat(HubUrl.of("http://127.0.0.1:8080/").path("eventbus/websocket"))
        .isEqualTo("/eventbus/websocket");
    assertThat(HubUrl.of("http://127.0.0.1:8080/").path("/api/me")).isEqualTo("/api/me");
  }

  @Test
  @DisplayName("under a prefix, every path is under it; default ports follow the scheme")
  void prefix() {
    HubUrl hub = HubUrl.of("https://chat.example/roombus/");

    assertThat(hub).isEqualTo(new HubUrl("chat.example", 443, true, "/roombus"));
    assertThat(hub.path("api/rooms")).isEqualTo("/roombus/api/rooms");
    assertThat(HubUrl.of("http://chat.example/x").port()).isEqualTo(80);
  }

  @Test
  @DisplayName(
      "a request goes to the hub's path, times out once sent, and arms no timer on the pool's wait")
  void request() {
    RequestOptions request =
        HubUrl.of("https://chat.example/roombus/").request(HttpMethod.POST, "api/rooms", 30_000);

    assertThat(request.getMethod()).isEqualTo(HttpMethod.POST);
    assertThat(request.getHost()).isEqualTo("chat.example");
    assertThat(request.getPort()).isEqualTo(443);
    assertThat(request.isSsl()).isTrue();
    assertThat(request.getURI()).isEqualTo("/roombus/api/rooms");
    assertThat(request.getTimeout()).isEqualTo(30_000);
    // Vert.x 5.0.7 would otherwise take the request's timeout for that wait (HubUrl#request)
    assertThat(request.getConnectTimeout()).isZero();
  }
}
