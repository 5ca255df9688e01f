package roombus.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.User;

@BrowserTest
@DisplayName(
    "Behind a proxy that refuses websockets, the page falls back, then moves up when it can")
class FallbackBrowserTest {

  @StartHub private static TestHub hub;
  private static WebSocketBlockingProxy proxy;

  @BeforeAll
  static void startProxy() {
    proxy =
        new WebSocketBlockingProxy(Integer.parseInt(hub.base().replaceAll(".*:(\\d+).*", "$1")));
  }

  @AfterAll
  static void stopProxy() {
    if (proxy != null) proxy.close();
  }

  @Test
  @DisplayName(
      "a refused upgrade means streaming or polling, automatically; allowed again, it upgrades to websocket without a gap or a duplicate")
  void fallBackThenUpgrade() throws Exception {
    User alice = User.arriving(hub.base());
    String id = alice.createRoom("Behind a proxy").getString("id");

    try (Browser bob = new Browser()) {
      bob.open(proxy.base() + "room.html?id=" + id + "&upgrade=1000");
      String transport = bob.waitConnected();
      assertThat(transport).isNotEqualTo("websocket");

      for (int i = 0; i < 5; i++) alice.say(id, "before " + i);
      bob.waitFor(
          d ->
              bob.findAll("#chat-list li.message .text").stream()
                  .anyMatch(t -> t.getText().equals("before 4")));
      bob.find("#chat-input").sendKeys("hello through the proxy");
      bob.find("#chat-send").click();
      bob.waitFor(
          d ->
              alice.history(id).array().stream()
                  .map(JsonObject.class::cast)
                  .anyMatch(m -> "hello through the proxy".equals(m.getString("chat"))));

      // the proxy lets websockets through: the page moves up while messages keep coming
      proxy.allowWebSockets = true;
      int sent = 0;
      while (!"websocket".equals(bob.text("#transport")) && sent < 200) {
        alice.say(id, "during " + sent++);
        Thread.sleep(50); // pacing the sender, not waiting for a condition
      }
      assertThat(bob.text("#transport")).isEqualTo("websocket");
      for (int i = 0; i < 5; i++) alice.say(id, "after " + i);
      bob.waitFor(
          d ->
              bob.findAll("#chat-list li.message .text").stream()
                  .anyMatch(t -> t.getText().equals("after 4")));

      // every stored message is on the page exactly once, in order
      long last =
          alice.history(id).array().stream()
              .map(JsonObject.class::cast)
              .mapToLong(m -> m.getLong("seq"))
              .max()
              .orElseThrow();
      bob.waitFor(d -> bob.findAll("#chat-list li[data-seq]").size() >= last);
      List<Long> shown =
          bob.findAll("#chat-list li[data-seq]").stream()
              .map(li -> Long.parseLong(li.getDomAttribute("data-seq")))
              .toList();
      assertThat(shown).isEqualTo(LongStream.rangeClosed(1, last).boxed().toList());
    }
  }
}
