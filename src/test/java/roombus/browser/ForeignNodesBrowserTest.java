package roombus.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.User;

@BrowserTest
@DisplayName("A room page connects only to the nodes the hub lists, never to one its link names")
class ForeignNodesBrowserTest {

  @StartHub private static TestHub hub;

  @Test
  @DisplayName(
      "room.html?nodes=<another host> opens the event bus on the hub itself: the other host hears"
          + " nothing, the visitor's chat goes to the room, the room's chat reaches the page")
  void nodesFromTheLinkAreIgnored() throws Exception {
    User alice = hub.newUser();
    String room = alice.createRoom("Linked").getString("id");
    try (ServerSocket evil = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Browser bob = new Browser()) {
      AtomicInteger knocks = new AtomicInteger();
      Thread listener =
          new Thread(
              () -> {
                while (!evil.isClosed()) {
                  try (Socket knock = evil.accept()) {
                    knocks.incrementAndGet();
                  } catch (IOException closed) {
                    return;
                  }
                }
              });
      listener.start();
      String foreign = "http://127.0.0.1:" + evil.getLocalPort() + "/";

      bob.open(hub.base() + "/room.html?id=" + room + "&nodes=" + foreign);
      bob.waitConnected();
      assertThat(bob.find("#transport").getDomAttribute("title")).startsWith(hub.base() + "/");

      bob.find("#chat-input").sendKeys("typed on a linked page");
      bob.find("#chat-send").click();
      TestHub.eventually(
          () -> assertThat(alice.history(room).text()).contains("typed on a linked page"));
      alice.say(room, "from the room");
      bob.waitFor(d -> bob.texts("#chat-list li.message .text").contains("from the room"));

      assertThat(knocks.get()).as("connections to the host named in the link").isZero();
      evil.close();
      listener.join();
    }
  }
}
