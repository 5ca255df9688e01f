package roombus.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openqa.selenium.WebElement;
import roombus.StartHub;
import roombus.TestHub;

/**
 * The room on a phone, 390×844 CSS pixels (Chrome's device emulation), next to a user on a desktop:
 * nothing scrolls sideways (checked on a screenshot of the whole page, which is wider than the
 * phone when anything sticks out), the chat takes the width, the participants fold away, Send stays
 * on the input's line. The screenshots are kept in {@code target/screenshots}.
 */
@BrowserTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName(
    "At phone width (390 px) the room is usable: nothing scrolls sideways, the chat takes the width")
class PhoneWidthBrowserTest {

  private static final int WIDTH = 390;
  private static final int HEIGHT = 844;
  private static final byte[] GIF =
      Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @StartHub private static TestHub hub;
  private static Browser phone;
  private static Browser desktop;

  @BeforeAll
  static void open() throws Exception {
    phone = new Browser();
    phone.phone(WIDTH, HEIGHT);
    desktop = new Browser();
  }

  @AfterAll
  static void close() {
    if (phone != null) phone.close();
    if (desktop != null) desktop.close();
  }

  /**
   * Elements whose box sticks out to the right of the viewport (the GIF input is hidden inside its
   * button).
   */
  @SuppressWarnings("unchecked")
  private static List<String> stickingOut(Browser browser) {
    return (List<String>)
        browser.script(
            """
        const out = [];
        for (const e of document.querySelectorAll('body *')) {
          if (e.id === 'gif-input' || e.offsetParent === null) continue;
          const r = e.getBoundingClientRect();
          if (r.width > 0 && r.right > window.innerWidth + 0.5) out.push(e.tagName + '#' + e.id + '.' + e.className + ' right=' + r.right);
        }
        return out;""");
  }

  private static void nothingScrollsSideways(Browser browser, String name) throws Exception {
    assertThat(browser.script("return window.innerWidth")).isEqualTo((long) WIDTH);
    assertThat(stickingOut(browser)).isEmpty();
    assertThat((Long) browser.script("return document.documentElement.scrollWidth"))
        .isLessThanOrEqualTo((long) WIDTH);
    BufferedImage shot =
        browser.fullPageScreenshot(SCREENSHOTS.resolve(name + "-" + WIDTH + ".png"));
    assertThat(shot.getWidth()).as("width of the whole page's screenshot").isEqualTo(WIDTH);
  }

  private static Map<String, Number> box(Browser browser, String css) {
    @SuppressWarnings("unchecked")
    Map<String, Number> rect =
        (Map<String, Number>)
            browser.script(
                "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
                    + "return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width};",
                css);
    return rect;
  }

  @Test
  @Order(1)
  @DisplayName(
      "the room list and a room created from it fit the phone; the chat takes the width, Send stays on the input's line")
  void roomFitsThePhone() throws Exception {
    phone.open(hub.base() + "/");
    phone.waitConnected();
    nothingScrollsSideways(phone, "rooms");
    phone
        .find("#create-title")
        .sendKeys("A room with a rather long title, to see how a phone copes with it");
    phone.find("#create-submit").click();
    phone.waitFor(d -> d.getCurrentUrl().contains("room.html?id="));
    phone.waitConnected();
    desktop.open(phone.driver.getCurrentUrl());
    desktop.waitConnected();
    phone.waitFor(d -> phone.text("#count").equals("2"));

    desktop
        .find("#chat-input")
        .sendKeys(
            "A long line that a phone must wrap inside the bubble, with a very long word: "
                + "Pneumonoultramicroscopicsilicovolcanoconiosis-and-then-some-more-to-be-sure and a link "
                + "https://example.org/a/very/long/path/that/does/not/break/by/itself/at/all?with=query&and=more");
    desktop.find("#chat-send").click();
    Path gif = Files.createTempFile("phone", ".gif");
    try {
      Files.write(gif, GIF);
      desktop.find("#gif-input").sendKeys(gif.toString());
      desktop.find("#gif-send").click();
      phone.waitFor(d -> !phone.findAll("#chat-list li.message img").isEmpty());
    } finally {
      Files.deleteIfExists(gif);
    }
    phone.find("#chat-input").sendKeys("and a short answer from the phone");
    phone.find("#chat-send").click();
    phone.waitFor(
        d ->
            phone
                .texts("#chat-list li.message.mine:not(.pending) .text")
                .contains("and a short answer from the phone"));

    nothingScrollsSideways(phone, "room");
    assertThat(
            (Boolean)
                phone.script(
                    "const m = document.getElementById('messages'); return m.scrollWidth <= m.clientWidth"))
        .isTrue();
    assertThat(box(phone, "#messages").get("width").doubleValue())
        .as("the message pane's width")
        .isGreaterThan(WIDTH * 0.9);
    assertThat(phone.find("#people").isDisplayed()).as("participants folded away").isFalse();
    Map<String, Number> input = box(phone, "#chat-input");
    Map<String, Number> send = box(phone, "#chat-send");
    assertThat(send.get("top").doubleValue())
        .as("Send on the input's line")
        .isLessThan(input.get("bottom").doubleValue());
    assertThat(send.get("bottom").doubleValue()).isGreaterThan(input.get("top").doubleValue());
    assertThat(input.get("width").doubleValue()).as("room to type").isGreaterThan(150);
    WebElement longLine =
        phone.findAll("#chat-list li.message").stream()
            .filter(li -> li.getText().contains("Pneumonoultra"))
            .findFirst()
            .orElseThrow();
    assertThat(longLine.getRect().getWidth())
        .as("a long message uses most of the width")
        .isGreaterThan((int) (WIDTH * 0.7));
  }

  @Test
  @Order(2)
  @DisplayName("the participants unfold over the chat from the People button, and fold away again")
  void participantsUnfold() throws Exception {
    assertThat(phone.text("#people-toggle")).contains("2");
    phone.find("#people-toggle").click();
    phone.waitFor(d -> phone.find("#people").isDisplayed());
    assertThat(phone.findAll("#participants li")).hasSize(2);
    nothingScrollsSideways(phone, "people");
    phone.find("#people-toggle").click();
    phone.waitFor(d -> !phone.find("#people").isDisplayed());
  }

  @Test
  @Order(3)
  @DisplayName("on a desktop the participants stay beside the chat")
  void desktopShowsParticipants() throws Exception {
    assertThat(desktop.find("#people").isDisplayed()).isTrue();
    assertThat(desktop.find("#people-toggle").isDisplayed()).isFalse();
    desktop.fullPageScreenshot(SCREENSHOTS.resolve("room-desktop.png"));
  }
}
