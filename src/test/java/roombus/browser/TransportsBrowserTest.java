package roombus.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import roombus.StartHub;
import roombus.TestHub;

/**
 * The whole chat over each SockJS transport the hub offers, forced with the page option {@code
 * ?transports=}: entering, the join notice, receiving, posting, GIFs both ways.
 */
@BrowserTest
@DisplayName("Every SockJS transport carries the whole chat")
class TransportsBrowserTest {

  private static final byte[] GIF =
      Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

  /**
   * Each guest closes its page at the end: without a presence grace, the host sees them leave at
   * once. One HTTP event loop, the default on two cores: the HTTP server in strict thread mode.
   */
  @StartHub(settings = {"PRESENCE_GRACE_MS=0", "HTTP_INSTANCES=1"})
  private static TestHub oneLoop;

  /** Two HTTP event loops: a poll or a stream can come in on another loop than its session's. */
  @StartHub(settings = {"PRESENCE_GRACE_MS=0", "HTTP_INSTANCES=2"})
  private static TestHub twoLoops;

  private static Browser host;
  private static Path gif;

  @BeforeAll
  static void start() throws Exception {
    host = new Browser();
    gif = Files.createTempFile("transport", ".gif");
    Files.write(gif, GIF);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (host != null) host.close();
    } finally {
      if (gif != null) Files.deleteIfExists(gif);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "websocket",
        "xhr-streaming",
        "xhr-polling",
        "eventsource",
        "iframe-eventsource",
        "iframe-htmlfile",
        "iframe-xhr-polling",
        "jsonp-polling"
      })
  @DisplayName("a user on one transport chats with a user on websocket (one HTTP event loop)")
  void chatOver(String transport) throws Exception {
    chat(oneLoop, transport);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"xhr-streaming", "xhr-polling", "jsonp-polling"})
  @DisplayName("a user on an HTTP transport chats with a user on websocket (two HTTP event loops)")
  void chatOverTwoLoops(String transport) throws Exception {
    chat(twoLoops, transport);
  }

  private void chat(TestHub hub, String transport) throws Exception {
    // the host (websocket) creates a room
    host.open(hub.base() + "/");
    host.waitConnected();
    host.find("#create-title").sendKeys("Over " + transport);
    host.find("#create-submit").click();
    host.waitFor(d -> d.getCurrentUrl().contains("room.html?id="));
    host.waitConnected();
    String roomUrl = host.driver.getCurrentUrl();

    try (Browser guest = new Browser()) {
      guest.open(roomUrl + "&transports=" + transport);
      assertThat(guest.waitConnected()).isEqualTo(transport);
      String guestName = guest.myName();

      host.waitFor(d -> host.notices().contains(guestName + " joined"));
      host.waitFor(d -> host.text("#count").equals("2"));

      host.find("#chat-input").sendKeys("to " + transport);
      host.find("#chat-send").click();
      guest.waitFor(
          d ->
              guest.findAll("#chat-list li.message .text").stream()
                  .anyMatch(t -> t.getText().equals("to " + transport)));

      guest.find("#chat-input").sendKeys("from " + transport);
      guest.find("#chat-send").click();
      host.waitFor(
          d ->
              host.findAll("#chat-list li.message .text").stream()
                  .anyMatch(t -> t.getText().equals("from " + transport)));

      host.find("#gif-input").sendKeys(gif.toString());
      host.find("#gif-send").click();
      guest.waitFor(d -> !guest.findAll("#chat-list li.message img").isEmpty());
      guest.find("#gif-input").sendKeys(gif.toString());
      guest.find("#gif-send").click();
      host.waitFor(d -> host.findAll("#chat-list li.message img").size() == 2);

      assertThat(guest.text("#transport")).isEqualTo(transport); // it never switched
    }
    host.waitFor(d -> host.text("#count").equals("1"));
  }
}
