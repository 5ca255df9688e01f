package roombus.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.TestHub;
import roombus.TestHub.User;

/**
 * The MongoDB driver's socket is on the node's own event loops, with the epoll transport as with
 * NIO: the driver starts no group of I/O threads of its own, whose every reply would cross to the
 * event loop that awaits it (docs/performance.md, twentieth session).
 */
class StoreClientThreadsTest {

  /** Netty names the threads of a group it makes itself after the group's class. */
  private static Set<String> nettyGroupThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(name -> name.startsWith("nioEventLoopGroup") || name.startsWith("epollEventLoop"))
        .collect(Collectors.toSet());
  }

  @Test
  @DisplayName(
      "the store client reads its replies on the node's event loops, with no threads of its own")
  void driverUsesTheNodesEventLoops() {
    Set<String> before = nettyGroupThreads();
    try (TestHub hub = TestHub.start()) {
      User alice = hub.newUser();
      String room = alice.createRoom("Shared loops", 4, null).getString("id");
      assertThat(alice.say(room, "stored, then delivered").status()).isEqualTo(201);
      assertThat(alice.history(room).text()).contains("stored, then delivered");

      Set<String> started = nettyGroupThreads();
      started.removeAll(before);
      assertThat(started).as("I/O threads started beside the node's event loops").isEmpty();
    }
  }
}
