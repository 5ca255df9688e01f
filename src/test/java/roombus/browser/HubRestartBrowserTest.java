package roombus.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import roombus.HubProcess;
import roombus.TestHub;
import roombus.TestHub.User;

/**
 * The hub is killed (SIGKILL) and started again on the same port and data while three people have
 * the room open, one of them on a phone; one of them writes while it is down. The hub runs as its
 * own process, so that it can really be killed.
 */
@BrowserTest
@Tag("cluster")
@DisplayName(
    "The hub is killed and restarted while the room is open: nothing typed is lost, nobody seems to leave")
class HubRestartBrowserTest {

  /** Longer than the hub takes to start again plus the pages' reconnect (at most about 6 s). */
  private static final int GRACE_MS = 12_000;

  private final List<Browser> browsers = new ArrayList<>();
  private HubProcess hub;

  @AfterEach
  void close() throws Exception {
    browsers.forEach(Browser::close);
    if (hub != null) hub.close();
  }

  private Browser browser() throws Exception {
    Browser b = new Browser();
    browsers.add(b);
    return b;
  }

  private static List<String> sent(Browser b) {
    return b.texts("#chat-list li.message:not(.pending) .text");
  }

  @Test
  @DisplayName(
      "a message typed while the hub is down is kept, shown as not sent yet, and stored exactly once when it is back; no exit or join for anyone; the banners go")
  void killedAndRestarted() throws Exception {
    hub = new HubProcess(Map.of("PRESENCE_GRACE_MS", String.valueOf(GRACE_MS))).start();
    Browser alice = browser();
    Browser bob = browser();
    Browser carol = browser();
    carol.phone(390, 844);
    alice.open(hub.base());
    alice.waitConnected();
    alice.find("#create-title").sendKeys("Through a crash");
    alice.find("#create-submit").click();
    alice.waitFor(d -> d.getCurrentUrl().contains("room.html?id="));
    alice.waitConnected();
    String roomUrl = alice.driver.getCurrentUrl();
    String roomId = roomUrl.replaceAll(".*id=([^&]+).*", "$1");
    bob.open(roomUrl);
    bob.waitConnected();
    carol.open(roomUrl);
    carol.waitConnected();
    alice.waitFor(d -> alice.text("#count").equals("3"));
    bob.find("#chat-input").sendKeys("before the crash");
    bob.find("#chat-send").click();
    for (Browser b : List.of(alice, bob, carol))
      b.waitFor(d -> sent(b).contains("before the crash"));
    List<List<String>> noticesBefore = List.of(alice.notices(), bob.notices(), carol.notices());

    hub.kill();

    for (Browser b : List.of(alice, bob, carol)) {
      b.waitFor(d -> "closed".equals(b.find("#transport").getDomAttribute("data-state")));
      b.waitFor(d -> b.text("#error").contains("Lost the connection to the hub"));
    }
    bob.find("#chat-input").sendKeys("typed while the hub was down");
    bob.find("#chat-send").click();
    bob.waitFor(
        d ->
            bob.texts("#chat-list li.pending").stream()
                .anyMatch(
                    t -> t.contains("typed while the hub was down") && t.contains("Not sent yet")));

    hub.start(); // same port, same data

    for (Browser b : List.of(alice, bob, carol)) {
      b.waitConnected();
      b.waitFor(d -> sent(b).contains("typed while the hub was down"));
    }
    User reader = User.arriving(hub.base().replaceAll("/$", ""));
    reader.enter(roomId);
    assertThat(
            reader.history(roomId).array().stream()
                .map(JsonObject.class::cast)
                .filter(m -> "typed while the hub was down".equals(m.getString("chat"))))
        .hasSize(1);
    // past the grace, when the hub lets go of the connections it held before the crash: still
    // nobody left or came
    TestHub.holds(
        Duration.ofMillis(GRACE_MS + 3000),
        () -> {
          assertThat(List.of(alice.notices(), bob.notices(), carol.notices()))
              .isEqualTo(noticesBefore);
        });
    for (Browser b : List.of(alice, bob, carol)) {
      assertThat(sent(b)).filteredOn("typed while the hub was down"::equals).hasSize(1);
      assertThat(b.findAll("#chat-list li.pending")).isEmpty();
      assertThat(b.find("#error").isDisplayed()).as("the banner is gone").isFalse();
      assertThat(b.text("#count")).isEqualTo("3");
      assertThat(b.findAll("#participants li")).hasSize(3);
    }
    assertThat(hub.serverErrors()).isEmpty();
  }
}
