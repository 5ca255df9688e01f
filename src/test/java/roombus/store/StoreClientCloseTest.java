package roombus.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.TestHub;
import roombus.TestHub.User;

/**
 * A stopped node leaves nothing of its store client running: the MongoDB driver's monitor threads
 * end with the node. (One left behind wakes every ten seconds for as long as the process lives, and
 * tries to reach its store over event loops that are gone.)
 */
class StoreClientCloseTest {

  /** The driver names its monitor threads after the cluster it watches: {@code cluster-...}. */
  private static Set<Thread> driverThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("cluster-"))
        .collect(Collectors.toSet());
  }

  @Test
  @DisplayName("once the hub is stopped, the store client's threads are gone")
  void stoppingEndsTheDriversThreads() {
    Set<Thread> before = driverThreads();
    TestHub hub = TestHub.start();
    try {
      User alice = hub.newUser();
      alice.say(alice.createRoom("Closing time", 4, null).getString("id"), "hello");
      Set<Thread> ours = driverThreads();
      ours.removeAll(before);
      assertThat(ours).as("the node's store client watches its store").isNotEmpty();

      hub.stop();

      // the stop completes once the client is closed; its threads finish their last step
      TestHub.eventually(
          Duration.ofSeconds(2),
          () -> assertThat(ours.stream().filter(Thread::isAlive).map(Thread::getName)).isEmpty());
    } finally {
      hub.close();
    }
  }
}
