package roombus.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.eventually;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;
import roombus.busclient.BusClient;

@BrowserTest
@ExtendWith(VertxExtension.class)
@DisplayName("The admin view, in Chromium")
class AdminBrowserTest {

  private static final String TOKEN = "admin-token-for-the-test-0123456789";

  @StartHub(settings = "ADMIN_TOKEN=" + TOKEN)
  TestHub hub;

  @Test
  @DisplayName(
      "with the token: the node, its connections by transport, rooms with their users and rate, live; it closes a room and disconnects a user")
  void adminView(Vertx vertx) throws Exception {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String kept = alice.createRoom("Kept open").getString("id");
    String closing = alice.createRoom("To be closed").getString("id");
    bob.enter(kept);
    BridgeSocket aliceSocket = alice.connect(vertx);
    aliceSocket.enterRoom(kept);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(kept);
    for (int i = 0; i < 3; i++) assertThat(alice.say(kept, "hello " + i).status()).isEqualTo(201);

    try (Browser browser = new Browser()) {
      browser.open(hub.base() + "/admin.html");
      browser.find("#token-input").sendKeys(TOKEN);
      browser.find("#token-form button").click();
      browser.waitFor(
          d ->
              browser.find("#view").isDisplayed() && !browser.findAll("#nodes tbody tr").isEmpty());
      browser.waitFor(d -> text(browser, "#nodes .node-connections").equals("2"));
      assertThat(text(browser, "#nodes .node-transports")).isEqualTo("websocket: 2");
      assertThat(text(browser, "#nodes .node-state")).isEqualTo("serving");
      String keptRow = "#admin-rooms tr[data-room='" + kept + "']";
      browser.waitFor(d -> text(browser, keptRow + " .room-rate").equals("3"));
      assertThat(text(browser, keptRow + " .room-title")).isEqualTo("Kept open");
      assertThat(
              String.valueOf(
                  browser.script(
                      "return [...document.querySelectorAll(arguments[0])].map(e => e.dataset.user).sort().join(',')",
                      keptRow + " .room-user")))
          .isEqualTo(
              java.util.stream.Stream.of(alice.id(), bob.id())
                  .sorted()
                  .collect(Collectors.joining(",")));

      // live: a third connection shows up without reloading
      BridgeSocket third = alice.connect(vertx);
      browser.waitFor(d -> text(browser, "#nodes .node-connections").equals("3"));
      third.close();

      click(browser, "#admin-rooms tr[data-room='" + closing + "'] .close-room");
      eventually(() -> assertThat(alice.get("/api/rooms/" + closing).status()).isEqualTo(404));
      browser.waitFor(
          d ->
              Boolean.TRUE.equals(
                  browser.script(
                      "return document.querySelector(arguments[0]) === null",
                      "#admin-rooms tr[data-room='" + closing + "']")));

      click(browser, keptRow + " .room-user[data-user='" + bob.id() + "'] + .disconnect");
      eventually(() -> assertThat(bobSocket.closeCode()).isEqualTo(BusClient.DISCONNECTED));
      assertThat(aliceSocket.isClosed()).isFalse();
    }
  }

  /** The text of an element of a page that redraws itself every 2 s (never a stale element). */
  private static String text(Browser browser, String css) {
    return String.valueOf(
        browser.script(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : ''", css));
  }

  private static void click(Browser browser, String css) {
    browser.waitFor(
        d ->
            Boolean.TRUE.equals(
                browser.script(
                    "const e = document.querySelector(arguments[0]); if (e) e.click(); return !!e",
                    css)));
  }

  @Test
  @DisplayName(
      "without the token, or with a wrong one, the page shows the refusal and the API answers 401")
  void refusedWithoutToken() throws Exception {
    User visitor = hub.newUser();
    assertThat(visitor.get("/api/admin/overview").status()).isEqualTo(401);
    try (Browser browser = new Browser()) {
      browser.open(hub.base() + "/admin.html");
      browser.find("#token-input").sendKeys("not-the-token");
      browser.find("#token-form button").click();
      browser.waitFor(d -> browser.find("#error").isDisplayed());
      assertThat(text(browser, "#error")).startsWith("Refused");
      assertThat(browser.find("#view").isDisplayed()).isFalse();
      assertThat(browser.findAll("#nodes tbody tr")).isEmpty();
    }
  }

  @Test
  @DisplayName("a hub without ADMIN_TOKEN has no admin view at all")
  void offWithoutToken(@StartHub TestHub plain) {
    User visitor = plain.newUser();
    assertThat(visitor.get("/admin.html").status()).isEqualTo(404);
    assertThat(visitor.get("/api/admin/overview").status()).isEqualTo(404);
  }
}
