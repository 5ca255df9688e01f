package roombus.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.User;

/**
 * Every way the room can end for a user, or not begin, says so with what they can do next, and
 * stops there: no "reconnecting…" forever, no stale count or participants, no usable chat form.
 */
@BrowserTest
@ExtendWith(VertxExtension.class)
@DisplayName("Every state ends: removed, room deleted, locked, wrong password, full room")
class EndingsBrowserTest {

  @StartHub private static TestHub hub;
  private static Browser page;

  @BeforeAll
  static void open() throws Exception {
    page = new Browser();
  }

  @AfterAll
  static void close() {
    if (page != null) page.close();
  }

  private static String roomUrl(String id) {
    return hub.base() + "/room.html?id=" + id;
  }

  /**
   * The page has ended: the reason shown with a way back, not connected nor trying to, no people,
   * no form.
   */
  private static void ended(String reason) {
    page.waitFor(d -> page.text("#error").contains(reason));
    page.waitFor(d -> "ended".equals(page.find("#transport").getDomAttribute("data-state")));
    TestHub.holds(
        Duration.ofSeconds(1),
        () -> {
          assertThat(page.text("#transport")).isNotEqualTo("reconnecting…");
          assertThat(page.find("#chat-input").isEnabled()).isFalse();
          assertThat(page.find("#chat-send").isEnabled()).isFalse();
          assertThat(page.findAll("#participants li")).isEmpty();
          assertThat(page.text("#count")).isEqualTo("–");
        });
    assertThat(page.texts("#error-actions a, #error-actions button")).contains("Back to rooms");
  }

  @Test
  @DisplayName("removed by the owner: told so, with the way back; nothing stays half alive")
  void removed(Vertx vertx) {
    User owner = hub.newUser();
    String id = owner.createRoom("Strict", null, null).getString("id");
    owner.connect(vertx).enterRoom(id);
    page.open(roomUrl(id));
    page.waitConnected();
    page.waitFor(d -> page.findAll("#participants li").size() == 2);
    String me = page.find("#me-badge").getDomAttribute("data-user");

    assertThat(owner.post("/api/rooms/" + id + "/kick", new JsonObject().put("user", me)).status())
        .isEqualTo(200);

    ended("The owner removed you from this room.");
  }

  @Test
  @DisplayName("the room is deleted: told so, with the way back")
  void deleted() {
    User owner = hub.newUser();
    String id = owner.createRoom("Short-lived").getString("id");
    page.open(roomUrl(id));
    page.waitConnected();

    assertThat(owner.delete("/api/rooms/" + id).status()).isEqualTo(204);

    ended("The owner deleted this room.");
  }

  @Test
  @DisplayName(
      "a locked room opened by its link asks for the password, shows the room's title and occupancy, and keeps the chat form closed; a wrong password says so; the right one lets in")
  void locked() {
    User owner = hub.newUser();
    String id = owner.createRoom("Members only", 3, "sesame").getString("id");

    page.open(roomUrl(id));

    page.waitFor(d -> page.find("#password-form").isDisplayed());
    assertThat(page.text("#room-title")).isEqualTo("🔒 Members only");
    assertThat(page.text("#count") + "/" + page.text("#max")).isEqualTo("0/3");
    assertThat(page.find("#chat-input").isEnabled()).isFalse();
    assertThat(page.find("#chat-send").isEnabled()).isFalse();
    assertThat(page.find("#error").isDisplayed()).isFalse();

    page.find("#password-input").sendKeys("open up");
    page.find("#password-form button[type=submit]").click();
    page.waitFor(d -> page.text("#error").equals("Wrong password"));
    assertThat(page.find("#password-form").isDisplayed()).isTrue();
    assertThat(page.find("#chat-input").isEnabled()).isFalse();

    page.find("#password-input").sendKeys("sesame");
    page.find("#password-form button[type=submit]").click();
    page.waitConnected();
    assertThat(page.find("#password-form").isDisplayed()).isFalse();
    assertThat(page.find("#error").isDisplayed()).as("the earlier error is gone").isFalse();
    assertThat(page.find("#chat-input").isEnabled()).isTrue();
    assertThat(page.text("#count")).isEqualTo("1");
  }

  @Test
  @DisplayName("a full room says so, with its occupancy, a way to try again and the way back")
  void full() {
    User owner = hub.newUser();
    String id = owner.createRoom("Tiny", 2, null).getString("id");
    owner.enter(id);
    User other = hub.newUser();
    assertThat(other.enter(id).status()).isEqualTo(200);

    page.open(roomUrl(id));

    ended("The room is full (2/2 people)");
    assertThat(page.texts("#error-actions button")).contains("Try again");
    assertThat(page.text("#room-title")).isEqualTo("Tiny");
  }

  @Test
  @DisplayName("a room that does not exist says so, with the way back")
  void noSuchRoom() {
    page.open(roomUrl("NoSuchRoom"));

    ended("There is no such room");
  }

  @Test
  @DisplayName("the form is closed until the page is in the room, and open once it is")
  void formOpensWhenIn() {
    User owner = hub.newUser();
    String id = owner.createRoom("Wait for it").getString("id");
    page.open(roomUrl(id));

    page.waitFor(
        d -> List.of("joining", "in").contains(page.find("body").getDomAttribute("data-phase")));
    // phase and form read in one go: the page may get in between two separate reads
    String snapshot =
        (String)
            page.script(
                "return document.body.dataset.phase + ':' + document.getElementById('chat-input').matches(':disabled');");
    if (snapshot.startsWith("joining:")) assertThat(snapshot).isEqualTo("joining:true");
    page.waitConnected();
    assertThat(page.find("body").getDomAttribute("data-phase")).isEqualTo("in");
    assertThat(page.find("#chat-input").isEnabled()).isTrue();
    assertThat(page.find("#leave-room").isEnabled()).isTrue();
  }
}
