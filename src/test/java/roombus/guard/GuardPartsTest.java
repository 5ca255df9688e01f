package roombus.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.guard.FrameLimit.Verdict;

@DisplayName("The parts of the limits: password waits, connection counts, frame gates")
class GuardPartsTest {

  @Test
  @DisplayName(
      "wrong passwords: the free ones cost nothing, then 1 s doubling per failure up to the cap")
  void passwordWaits() {
    Duration cap = Duration.ofMinutes(5);
    List<Long> seconds = new ArrayList<>();
    for (int failure = 1; failure <= 14; failure++)
      seconds.add(PasswordThrottle.waitAfter(failure, 3, cap).toSeconds());
    assertThat(seconds)
        .containsExactly(0L, 0L, 0L, 1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 300L, 300L);
    assertThat(PasswordThrottle.waitAfter(20, 20, Duration.ofSeconds(30))).isZero();
    assertThat(PasswordThrottle.waitAfter(21, 20, Duration.ofSeconds(30))).hasSeconds(1);
    assertThat(PasswordThrottle.waitAfter(26, 20, Duration.ofSeconds(30))).hasSeconds(30);
    assertThat(PasswordThrottle.waitAfter(Integer.MAX_VALUE, 3, cap)).isEqualTo(cap);
  }

  @Test
  @DisplayName("a session holds at most its connections; a closed one makes room for another")
  void connectionCounts() {
    ConnectionCounts counts = new ConnectionCounts(2);

    assertThat(counts.tryOpen("s1")).isTrue();
    assertThat(counts.tryOpen("s1")).isTrue();
    assertThat(counts.tryOpen("s1")).isFalse();
    assertThat(counts.tryOpen("s2")).isTrue();
    counts.closed("s1");
    assertThat(counts.tryOpen("s1")).isTrue();
    assertThat(counts.of("s1")).isEqualTo(2);
    counts.closed("s2");
    assertThat(counts.of("s2")).as("no entry left").isZero();
  }

  @Test
  @DisplayName(
      "a frame gate lets the limit through at once, answers as many drops a second and drops the"
          + " rest quietly, and closes after three seconds of flood")
  void frameGate() {
    FrameLimit limit = new FrameLimit(5);
    FrameLimit.Gate gate = limit.gate();
    long now = 1_000_000;
    List<Verdict> first = new ArrayList<>();
    for (int i = 0; i < 12; i++) first.add(gate.admit(now));
    assertThat(first.subList(0, 5)).containsOnly(Verdict.PASS);
    assertThat(first.subList(5, 10)).containsOnly(Verdict.REFUSE);
    assertThat(first.subList(10, 12)).containsOnly(Verdict.DROP);

    // a flood (ten times the limit dropped) in three seconds in a row closes the connection
    List<Verdict> flood = new ArrayList<>();
    for (int second = 1; second <= 3; second++)
      for (int i = 0; i < 60; i++) flood.add(gate.admit(now + second * 1000L + i));
    assertThat(flood).contains(Verdict.CLOSE);
    assertThat(flood.indexOf(Verdict.CLOSE)).as("closed in the third second").isGreaterThan(120);
  }

  @Test
  @DisplayName(
      "a connection's pace lets a frame through after a second of quiet, even after its limit was"
          + " reached, and says how long it has been silent")
  void framePace() {
    FrameLimit limit = new FrameLimit(2);
    long now = 1_000_000;
    FrameLimit.Pace pace = limit.pace(now);
    List<Verdict> burst = new ArrayList<>();
    for (int i = 0; i < 4; i++) burst.add(pace.admit(now + 10 + i));
    assertThat(burst).containsExactly(Verdict.PASS, Verdict.PASS, Verdict.REFUSE, Verdict.REFUSE);
    assertThat(pace.admit(now + 1_013)).as("a second after the last frame").isEqualTo(Verdict.PASS);
    pace.heard(now + 5_000);
    assertThat(pace.silentSince(now + 5_000)).isFalse();
    assertThat(pace.silentSince(now + 5_001)).isTrue();
  }
}
