package roombus.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.support.ui.Select;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.User;

/**
 * Three people in one room, in three Chromiums on a desktop, as they use it: who is who, their own
 * messages, timestamps, GIFs with a preview, "… is typing", whispers that survive a reload, a
 * reload that is not leaving, a refused post that keeps its text, and the Leave button. The
 * presence grace is a minute here, so any exit seen comes from leaving on purpose.
 */
@BrowserTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Three people use a room: names, typing, whispers, GIFs, reloads, refusals, leaving")
class RoomLifeBrowserTest {

  private static final byte[] GIF =
      Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

  @StartHub(settings = "PRESENCE_GRACE_MS=60000")
  private static TestHub hub;

  private static Browser alice;
  private static Browser bob;
  private static Browser carol;
  private static String roomUrl;
  private static String roomId;

  @BeforeAll
  static void enter() throws Exception {
    alice = new Browser();
    bob = new Browser();
    carol = new Browser();
    alice.open(hub.base() + "/");
    alice.waitConnected();
    alice.find("#create-title").sendKeys("Living room");
    alice.find("#create-submit").click();
    alice.waitFor(d -> d.getCurrentUrl().contains("room.html?id="));
    alice.waitConnected();
    roomUrl = alice.driver.getCurrentUrl();
    roomId = roomUrl.replaceAll(".*id=([^&]+).*", "$1");
    for (Browser b : List.of(bob, carol)) {
      b.open(roomUrl);
      b.waitConnected();
    }
    alice.waitFor(d -> alice.findAll("#participants li").size() == 3);
  }

  @AfterAll
  static void close() {
    for (Browser b : new Browser[] {alice, bob, carol}) if (b != null) b.close();
  }

  private static void say(Browser who, String text) {
    who.find("#chat-input").sendKeys(text);
    who.find("#chat-send").click();
  }

  private static void awaitText(Browser who, String text) {
    who.waitFor(d -> who.texts("#chat-list li.message:not(.pending) .text").contains(text));
  }

  /** The stored history as a user who entered the room reads it over HTTP. */
  private static List<JsonObject> history() {
    User reader = User.arriving(hub.base());
    reader.enter(roomId);
    return reader.history(roomId).array().stream().map(JsonObject.class::cast).toList();
  }

  @Test
  @Order(1)
  @DisplayName(
      "people are names with a colour chip, never hex codes; every name is readable (WCAG AA); own messages stand apart; times are relative with the exact time on hover")
  @SuppressWarnings("unchecked")
  void readable() {
    say(alice, "hello from alice");
    say(bob, "hello from bob");
    awaitText(carol, "hello from alice");
    awaitText(carol, "hello from bob");
    awaitText(bob, "hello from alice");

    assertThat(bob.myName()).matches("[A-Z][a-z]+ [A-Z][a-z]+");
    assertThat(bob.texts("#participants li"))
        .hasSize(3)
        .noneMatch(t -> t.matches(".*#[0-9a-f]{6}.*"));
    assertThat(bob.texts("#chat-list li")).noneMatch(t -> t.matches(".*#[0-9a-f]{6}.*"));
    assertThat(bob.notices()).contains(carol.myName() + " joined");
    // every name and notice as drawn: its colour against what is behind it
    List<Map<String, Object>> drawn =
        (List<Map<String, Object>>)
            bob.script(
                """
        const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
        const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const behind = e => { for (; e; e = e.parentElement) { const bg = getComputedStyle(e).backgroundColor;
          if (bg && !bg.endsWith(', 0)') && bg !== 'transparent') return rgb(bg); } return [255, 255, 255]; };
        return [...document.querySelectorAll('#chat-list .who, #chat-list .notice, #participants .name, #me-badge .name, #chat-list time')]
          .map(e => { const a = lum(rgb(getComputedStyle(e).color)), b = lum(behind(e));
            return { text: e.textContent, ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) }; });""");
    assertThat(drawn)
        .hasSizeGreaterThan(8)
        .allSatisfy(
            d ->
                assertThat(((Number) d.get("ratio")).doubleValue())
                    .as("contrast of %s", d.get("text"))
                    .isGreaterThanOrEqualTo(4.5));
    // a light colour like #d2d279 is darkened to be readable, its hue kept for the chip
    assertThat(
            ((Number)
                    bob.script(
                        "return roombus.contrast(roombus.readableColor('#d2d279'), '#ffffff')"))
                .doubleValue())
        .isGreaterThanOrEqualTo(4.5);
    assertThat(bob.findAll("#chat-list li.message .chip")).isNotEmpty();

    // own messages on the right, in their own colour; the others' on the left
    Map<String, Object> sides =
        (Map<String, Object>)
            bob.script(
                """
        const pane = document.getElementById('messages').getBoundingClientRect();
        const find = t => [...document.querySelectorAll('#chat-list li.message')].find(li => li.querySelector('.text').textContent === t);
        const mine = find('hello from bob'), theirs = find('hello from alice');
        return { mine: mine.classList.contains('mine'), theirs: theirs.classList.contains('mine'),
          mineRight: pane.right - mine.getBoundingClientRect().right, theirsLeft: theirs.getBoundingClientRect().left - pane.left,
          mineLeft: mine.getBoundingClientRect().left - pane.left,
          differ: getComputedStyle(mine).backgroundColor !== getComputedStyle(theirs).backgroundColor };""");
    assertThat(sides.get("mine")).isEqualTo(true);
    assertThat(sides.get("theirs")).isEqualTo(false);
    assertThat(((Number) sides.get("mineRight")).doubleValue())
        .isLessThan(((Number) sides.get("mineLeft")).doubleValue());
    assertThat(((Number) sides.get("theirsLeft")).doubleValue()).isLessThan(30);
    assertThat(sides.get("differ")).isEqualTo(true);

    // each message has its time: relative, the exact time in the title
    String createdAt =
        history().stream()
            .filter(m -> "hello from alice".equals(m.getString("chat")))
            .findFirst()
            .orElseThrow()
            .getString("createdAt");
    Map<String, String> time =
        (Map<String, String>)
            bob.script(
                """
        const li = [...document.querySelectorAll('#chat-list li.message')].find(li => li.querySelector('.text').textContent === 'hello from alice');
        const t = li.querySelector('time');
        return { text: t.textContent, title: t.title, datetime: t.dateTime };""");
    assertThat(time.get("text")).isEqualTo("just now");
    assertThat(time.get("datetime")).isEqualTo(createdAt);
    assertThat(time.get("title"))
        .contains(createdAt.substring(0, 4))
        .isNotEqualTo(time.get("text"));
  }

  @Test
  @Order(2)
  @DisplayName(
      "the GIF button opens a file chooser behind a styled button; the GIF is previewed, sent only on 'Send GIF', and Cancel sends nothing")
  void gifWithPreview() throws Exception {
    Path gif = Files.createTempFile("preview", ".gif");
    try {
      Files.write(gif, GIF);
      assertThat(alice.find(".gif-button").isDisplayed()).isTrue();
      assertThat(alice.find("#gif-input").getRect().getWidth())
          .as("the raw file input is hidden in the button")
          .isLessThanOrEqualTo(1);

      alice.find("#gif-input").sendKeys(gif.toString());
      alice.waitFor(d -> alice.find("#gif-preview").isDisplayed());
      assertThat(
              (Boolean)
                  alice.script(
                      "return document.getElementById('gif-preview-image').src.startsWith('blob:')"))
          .isTrue();
      alice.find("#gif-cancel").click();
      alice.waitFor(d -> !alice.find("#gif-preview").isDisplayed());
      assertThat(history()).noneMatch(m -> "gif".equals(m.getString("type")));

      alice.find("#gif-input").sendKeys(gif.toString());
      alice.waitFor(d -> alice.find("#gif-preview").isDisplayed());
      alice.find("#gif-send").click();
      bob.waitFor(d -> !bob.findAll("#chat-list li.message img").isEmpty());
      alice.waitFor(d -> !alice.find("#gif-preview").isDisplayed());
      assertThat(history()).filteredOn(m -> "gif".equals(m.getString("type"))).hasSize(1);
    } finally {
      Files.deleteIfExists(gif);
    }
  }

  @Test
  @Order(3)
  @DisplayName(
      "while Alice types, Bob and Carol see '… is typing' (she does not); it goes when her message arrives; nothing of it is stored")
  void typing() {
    String aliceName = alice.myName();
    alice.find("#chat-input").sendKeys("I am writing something long");

    bob.waitFor(d -> bob.text("#typing").equals(aliceName + " is typing…"));
    carol.waitFor(d -> carol.text("#typing").equals(aliceName + " is typing…"));
    assertThat(alice.find("#typing").isDisplayed()).isFalse();

    alice.find("#chat-send").click();
    awaitText(bob, "I am writing something long");
    bob.waitFor(d -> !bob.find("#typing").isDisplayed());
    assertThat(history()).noneMatch(m -> "typing".equals(m.getString("type")));
  }

  @Test
  @Order(4)
  @DisplayName(
      "a whisper reaches only its two people, and is still there for both of them after a reload; Carol never sees it")
  void whisperSurvivesReload() {
    new Select(alice.find("#chat-to")).selectByVisibleText("Whisper to " + bob.myName());
    say(alice, "psst, only for bob");
    bob.waitFor(d -> bob.texts("#chat-list li.whisper .text").contains("psst, only for bob"));
    alice.waitFor(
        d ->
            alice
                .texts("#chat-list li.whisper:not(.pending) .text")
                .contains("psst, only for bob"));
    new Select(alice.find("#chat-to")).selectByIndex(0);
    say(alice, "public again");
    awaitText(carol, "public again");

    for (Browser b : List.of(bob, alice, carol)) {
      b.driver.navigate().refresh();
      b.waitConnected();
      awaitText(b, "public again");
    }
    assertThat(bob.texts("#chat-list li.whisper .text")).containsExactly("psst, only for bob");
    assertThat(alice.texts("#chat-list li.whisper .text")).containsExactly("psst, only for bob");
    assertThat(carol.texts("#chat-list li")).noneMatch(t -> t.contains("psst"));
    // the whisper sits where it was said: after Alice's GIF and before "public again"
    List<String> order = bob.texts("#chat-list li.message");
    assertThat(
            order.indexOf(order.stream().filter(t -> t.contains("psst")).findFirst().orElseThrow()))
        .isLessThan(
            order.indexOf(
                order.stream().filter(t -> t.contains("public again")).findFirst().orElseThrow()));
  }

  @Test
  @Order(5)
  @DisplayName("reloading the page is not leaving: nobody sees an exit or a join for it")
  void reloadIsNotLeaving() {
    String bobName = bob.myName();
    List<String> before = alice.notices();

    bob.driver.navigate().refresh();
    bob.waitConnected();
    say(bob, "back after a reload");
    awaitText(alice, "back after a reload");

    TestHub.holds(Duration.ofSeconds(2), () -> assertThat(alice.notices()).isEqualTo(before));
    assertThat(alice.notices())
        .filteredOn(n -> n.startsWith(bobName))
        .containsExactly(bobName + " joined");
    assertThat(alice.text("#count")).isEqualTo("3");
  }

  @Test
  @Order(6)
  @DisplayName(
      "a post the hub refuses keeps its text on the page with the reason; Edit puts it back in the input")
  void refusedPostKeepsItsText() {
    // a whisper to someone who is not in the room: the hub answers 404 "That user is not in the
    // room"
    alice.script(
        "const to = document.getElementById('chat-to'); const o = new Option('Whisper to a ghost', '0123456789abcdef');"
            + "to.add(o); to.value = o.value;");
    say(alice, "are you there, ghost?");

    alice.waitFor(
        d ->
            alice.texts("#chat-list li.pending[data-state=failed]").stream()
                .anyMatch(
                    t ->
                        t.contains("are you there, ghost?")
                            && t.contains("Not sent: That user is not in the room")));
    assertThat(alice.find("#chat-list li.pending button.retry").isDisplayed()).isTrue();
    alice.find("#chat-list li.pending button.edit").click();
    assertThat(alice.find("#chat-input").getDomProperty("value"))
        .isEqualTo("are you there, ghost?");
    assertThat(alice.findAll("#chat-list li.pending")).isEmpty();
    assertThat(history()).noneMatch(m -> "are you there, ghost?".equals(m.getString("chat")));
  }

  @Test
  @Order(7)
  @DisplayName(
      "the Leave button takes Carol back to the rooms; the others see her leave at once, once")
  void leaveButton() {
    String carolName = carol.myName();
    carol.find("#leave-room").click();
    carol.waitFor(d -> !d.getCurrentUrl().contains("room.html"));

    alice.waitFor(
        d -> alice.notices().contains(carolName + " left")); // far sooner than the minute of grace
    alice.waitFor(d -> alice.text("#count").equals("2"));
    say(bob, "bye carol");
    awaitText(alice, "bye carol");
    assertThat(alice.notices()).filteredOn(n -> n.equals(carolName + " left")).hasSize(1);
    assertThat(alice.texts("#participants li")).noneMatch(t -> t.startsWith(carolName));
  }
}
