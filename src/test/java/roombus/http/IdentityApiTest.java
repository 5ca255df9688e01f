package roombus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.User;
import roombus.identity.ColorHash;

@DisplayName("GET /api/me: every visitor gets an anonymous identity from their session")
class IdentityApiTest {

  @StartHub private static TestHub hub;

  @Test
  @DisplayName("a visitor gets a user id and a #rrggbb colour, and an HttpOnly session cookie")
  void identityShape() {
    User visitor = hub.newUser();
    TestHub.Reply me = visitor.get("/api/me");

    assertThat(me.status()).isEqualTo(200);
    assertThat(me.header("Content-Type")).startsWith("application/json");
    JsonObject body = me.json();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("user", "color");
    assertThat(body.getString("user")).isNotBlank();
    assertThat(body.getString("color")).matches("#[0-9a-f]{6}");
  }

  @Test
  @DisplayName("a newcomer's first answer sets the roombus.sid session cookie, HttpOnly")
  void sessionCookie() {
    TestHub.Reply first = User.anonymous(hub.base()).get("/api/me");

    assertThat(first.header("Set-Cookie"))
        .startsWith("roombus.sid=")
        .containsIgnoringCase("HttpOnly");
  }

  @Test
  @DisplayName("the identity stays the same across requests with the same cookie")
  void stableWithCookie() {
    User visitor = hub.newUser();

    JsonObject first = visitor.get("/api/me").json();
    JsonObject second = visitor.get("/api/me").json();
    visitor.get("/api/rooms");
    JsonObject third = visitor.get("/api/me").json();

    assertThat(second).isEqualTo(first);
    assertThat(third).isEqualTo(first);
    assertThat(first.getString("user")).isEqualTo(visitor.id());
  }

  @Test
  @DisplayName("another cookie is another user, with the colour of its own session")
  void anotherCookieAnotherUser() {
    User alice = hub.newUser();
    User bob = hub.newUser();

    assertThat(bob.sid()).isNotEqualTo(alice.sid());
    assertThat(bob.id()).isNotEqualTo(alice.id()); // 64 random bits each
    assertThat(bob.color()).isEqualTo(ColorHash.hex(bob.sid()));
    // A colour is one of about 3,200 (359 hues × 3 × 3), so two sessions share one about once in
    // 3,200:
    // the colour follows the session, yet among three newcomers at least one differs from alice's.
    List<String> newcomers = List.of(bob.color(), hub.newUser().color(), hub.newUser().color());
    assertThat(newcomers).anyMatch(color -> !color.equals(alice.color()));
  }

  @Test
  @DisplayName("the colour is the color-hash of the session id, as the Node original computes it")
  void colourIsColorHashOfSession() {
    User visitor = hub.newUser();

    assertThat(visitor.color()).isEqualTo(ColorHash.hex(visitor.sid()));
  }
}
