package roombus.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.common.ApiError;
import roombus.guard.RateLimits.Action;

@DisplayName("Rate limits per user and address, shared among the live nodes")
class RateLimitsTest {

  @Test
  @DisplayName("each node allows its share of a limit, rounded up, and at least one")
  void share() {
    assertThat(RateLimits.share(10, 1)).isEqualTo(10);
    assertThat(RateLimits.share(10, 2)).isEqualTo(5);
    assertThat(RateLimits.share(10, 3)).isEqualTo(4);
    assertThat(RateLimits.share(60, 7)).isEqualTo(9);
    assertThat(RateLimits.share(10, 20)).isEqualTo(1);
    assertThat(RateLimits.share(10, 0)).as("no membership known: this node alone").isEqualTo(10);
  }

  @Test
  @DisplayName(
      "spread evenly over n nodes, one user gets at most n × ceil(limit / n): the limit, rounded"
          + " up to a multiple of n")
  void spreadOverNodes() {
    for (int n = 1; n <= 12; n++) {
      List<String> members = IntStream.range(0, n).mapToObj(i -> "node" + i).toList();
      List<RateLimits> nodes = new ArrayList<>();
      for (int i = 0; i < n; i++) nodes.add(new RateLimits(10, 60, 20, () -> members));
      int allowed = 0;
      for (int attempt = 0; attempt < 100; attempt++) {
        if (tryAcquire(nodes.get(attempt % n), Action.CREATE_ROOM, "mallory", null)) allowed++;
      }
      assertThat(allowed)
          .as("rooms created over %d nodes", n)
          .isEqualTo(n * RateLimits.share(10, n));
      assertThat(allowed).isLessThanOrEqualTo(10 + n - 1);
    }
  }

  @Test
  @DisplayName("the share follows the membership: a second node halves what this one allows")
  void followsMembership() {
    AtomicInteger count = new AtomicInteger(2);
    RateLimits limits =
        new RateLimits(
            10, 60, 20, () -> IntStream.range(0, count.get()).mapToObj(i -> "n" + i).toList());

    assertThat(allowedOf(limits, Action.CREATE_ROOM, "alice", null, 20)).isEqualTo(5);
    count.set(1);
    assertThat(allowedOf(limits, Action.CREATE_ROOM, "bob", null, 20)).isEqualTo(10);
  }

  @Test
  @DisplayName(
      "past the limit: 429 with the time to the next permit, per user and per action; an address"
          + " may do ten times as much, a loopback address is not limited")
  void perUserAndAddress() {
    RateLimits limits = new RateLimits(2, 3, 1, () -> List.of("one"));

    assertThat(allowedOf(limits, Action.CREATE_ROOM, "alice", "203.0.113.7", 5)).isEqualTo(2);
    assertThat(allowedOf(limits, Action.ENTER, "alice", "203.0.113.7", 5)).isEqualTo(3);
    assertThat(allowedOf(limits, Action.UPLOAD, "alice", "203.0.113.7", 5)).isEqualTo(1);
    assertThatThrownBy(() -> limits.acquire(Action.CREATE_ROOM, "alice", null))
        .isInstanceOfSatisfying(
            ApiError.class,
            e -> {
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.retryAfterSeconds()).isBetween(1L, 60L);
            });

    int fromOneAddress = 0;
    for (int user = 0; user < 30; user++)
      fromOneAddress += allowedOf(limits, Action.CREATE_ROOM, "user" + user, "203.0.113.8", 5);
    assertThat(fromOneAddress).as("rooms from one address").isEqualTo(20);

    int fromLoopback = 0;
    for (int user = 0; user < 30; user++)
      fromLoopback += allowedOf(limits, Action.CREATE_ROOM, "local" + user, "127.0.0.1", 5);
    assertThat(fromLoopback).as("rooms from loopback: only the per-user limit").isEqualTo(60);
  }

  @Test
  @DisplayName("loopback is 127.0.0.0/8 and ::1, in any spelling; nothing else")
  void loopback() {
    assertThat(RateLimits.isLoopback("127.0.0.1")).isTrue();
    assertThat(RateLimits.isLoopback("127.1.2.3")).isTrue();
    assertThat(RateLimits.isLoopback("::1")).isTrue();
    assertThat(RateLimits.isLoopback("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(RateLimits.isLoopback("0:0:0:0:0:0:0:1%lo")).isTrue();
    assertThat(RateLimits.isLoopback("::ffff:127.0.0.1")).isTrue();
    assertThat(RateLimits.isLoopback("10.0.0.1")).isFalse();
    assertThat(RateLimits.isLoopback("128.0.0.1")).isFalse();
    assertThat(RateLimits.isLoopback("::2")).isFalse();
    assertThat(RateLimits.isLoopback("localhost")).as("a name is not looked up").isFalse();
    assertThat(RateLimits.isLoopback("")).isFalse();
  }

  @Test
  @DisplayName("keys idle for a minute are forgotten; recent ones are kept")
  void forgetsIdle() {
    RateLimits limits = new RateLimits(10, 60, 20, () -> List.of("one"));
    limits.acquire(Action.ENTER, "alice", "203.0.113.9");
    assertThat(limits.size()).isEqualTo(2);

    limits.forgetIdle(Duration.ofMinutes(1));

    assertThat(limits.size()).as("used just now").isEqualTo(2);
  }

  private static int allowedOf(
      RateLimits limits, Action action, String user, String address, int attempts) {
    int allowed = 0;
    for (int i = 0; i < attempts; i++) if (tryAcquire(limits, action, user, address)) allowed++;
    return allowed;
  }

  private static boolean tryAcquire(RateLimits limits, Action action, String user, String address) {
    try {
      limits.acquire(action, user, address);
      return true;
    } catch (ApiError refused) {
      assertThat(refused.status()).isEqualTo(429);
      return false;
    }
  }
}
