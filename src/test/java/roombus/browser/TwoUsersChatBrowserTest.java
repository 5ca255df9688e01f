package roombus.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import roombus.StartHub;
import roombus.TestHub;

@BrowserTest
@DisplayName("Two people chat in one room in real browsers while a third watches the room list")
class TwoUsersChatBrowserTest {

  /** A real 1×1 GIF. */
  private static final byte[] GIF =
      Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

  @StartHub private static TestHub hub;
  private static String base;

  @BeforeAll
  static void pageAddress() {
    base = hub.base() + "/";
  }

  @Test
  @DisplayName(
      "messages, a GIF, the join notice and the counts reach the other user and the room list live")
  void chatInTwoBrowsers() throws Exception {
    Path gif = Files.createTempFile("funny", ".gif");
    Files.write(gif, GIF);
    try (Browser alice = new Browser();
        Browser bob = new Browser();
        Browser watcher = new Browser()) {
      watcher.open(base);
      watcher.waitConnected();

      // Alice creates a room and is taken into it
      alice.open(base);
      alice.waitConnected();
      alice.find("#create-title").sendKeys("Cats & <b>dogs</b>");
      alice.find("#create-max").clear();
      alice.find("#create-max").sendKeys("5");
      alice.find("#create-submit").click();
      alice.waitFor(d -> d.getCurrentUrl().contains("room.html?id="));
      alice.waitConnected();
      String aliceName = alice.myName();
      assertThat(alice.text("#room-title")).isEqualTo("Cats & <b>dogs</b>"); // text, never HTML

      // the watcher's list shows the new room without a reload, with Alice counted
      String roomId = alice.driver.getCurrentUrl().replaceAll(".*id=", "");
      String row = "#rooms tbody tr[data-room='" + roomId + "']";
      watcher.waitFor(d -> watcher.findAll(row).size() == 1);
      watcher.waitFor(d -> watcher.text(row + " .count").equals("1/5"));
      assertThat(watcher.text(row + " .title")).isEqualTo("Cats & <b>dogs</b>");

      // Bob enters from the list
      bob.open(base);
      bob.waitConnected();
      bob.waitFor(d -> !bob.findAll(row + " button.enter").isEmpty());
      bob.find(row + " button.enter").click();
      bob.waitFor(d -> d.getCurrentUrl().contains("room.html?id="));
      bob.waitConnected();
      String bobName = bob.myName();
      assertThat(bobName).isNotEqualTo(aliceName).matches("[A-Z][a-z]+ [A-Z][a-z]+");
      assertThat(bob.myColor()).matches("#[0-9a-f]{6}");

      // Alice sees Bob's join notice and the count, the watcher sees 2/5
      alice.waitFor(d -> alice.notices().contains(bobName + " joined"));
      alice.waitFor(d -> alice.text("#count").equals("2"));
      watcher.waitFor(d -> watcher.text(row + " .count").equals("2/5"));

      // a message from Alice appears for Bob
      alice.find("#chat-input").sendKeys("hello <script>alert(1)</script>");
      alice.find("#chat-send").click();
      bob.waitFor(
          d ->
              bob.findAll("#chat-list li.message .text").stream()
                  .anyMatch(t -> t.getText().equals("hello <script>alert(1)</script>")));

      // a GIF from Alice appears for Bob, loaded from the hub
      alice.find("#gif-input").sendKeys(gif.toString());
      alice.waitFor(d -> alice.find("#gif-preview").isDisplayed());
      alice.find("#gif-send").click();
      WebElement img =
          bob.waitFor(
              d -> bob.findAll("#chat-list li.message img").stream().findFirst().orElse(null));
      bob.waitFor(
          d ->
              Boolean.TRUE.equals(
                  bob.script(
                      "return arguments[0].complete && arguments[0].naturalWidth > 0", img)));
      assertThat(img.getDomAttribute("src")).startsWith("gif/");

      // Bob leaves: Alice sees the exit notice, the watcher the count
      bob.open(base);
      alice.waitFor(d -> alice.notices().contains(bobName + " left"));
      watcher.waitFor(d -> watcher.text(row + " .count").equals("1/5"));

      // the owner deletes the room: it disappears from the watcher's list
      alice.find("#delete-room").click();
      watcher.waitFor(d -> watcher.findAll(row).isEmpty());
    } finally {
      Files.deleteIfExists(gif);
    }
  }

  @Test
  @DisplayName(
      "the owner whispers, hands the room over, and the new owner removes the old one for good")
  void whisperHandOverAndKick() throws Exception {
    try (Browser alice = new Browser();
        Browser bob = new Browser()) {
      alice.open(base);
      alice.waitConnected();
      alice.find("#create-title").sendKeys("Owners");
      alice.find("#create-submit").click();
      alice.waitFor(d -> d.getCurrentUrl().contains("room.html?id="));
      alice.waitConnected();
      String roomUrl = alice.driver.getCurrentUrl();

      bob.open(roomUrl); // a shared link works: entering an open room needs no password
      bob.waitConnected();
      String bobName = bob.myName();
      alice.waitFor(d -> alice.findAll("#participants li").size() == 2);

      // a whisper reaches Bob, marked as such
      alice.waitFor(d -> alice.findAll("#chat-to option").size() == 2);
      new org.openqa.selenium.support.ui.Select(alice.find("#chat-to")).selectByIndex(1);
      alice.find("#chat-input").sendKeys("psst");
      alice.find("#chat-send").click();
      bob.waitFor(
          d ->
              bob.findAll("#chat-list li.whisper .text").stream()
                  .anyMatch(t -> t.getText().equals("psst")));
      assertThat(bob.findAll("#delete-room").get(0).isDisplayed()).isFalse();

      // Alice makes Bob the owner
      alice.find("#participants li[data-user] button.make-owner").click();
      bob.waitFor(d -> bob.find("#delete-room").isDisplayed());
      bob.waitFor(d -> bob.notices().contains("You are now the owner"));
      alice.waitFor(d -> alice.notices().contains(bobName + " is now the owner"));
      alice.waitFor(d -> !alice.find("#delete-room").isDisplayed());

      // Bob removes Alice: she is told, and cannot come back
      bob.waitFor(d -> !bob.findAll("#participants li[data-user] button.kick").isEmpty());
      bob.find("#participants li[data-user] button.kick").click();
      alice.waitFor(d -> alice.text("#error").contains("removed you"));
      alice.open(roomUrl);
      alice.waitFor(d -> alice.text("#error").contains("removed you"));
      bob.waitFor(d -> bob.text("#count").equals("1"));
    }
  }
}
