package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.Reply;
import roombus.TestHub.User;

@DisplayName("Guessing a room's password gets slower and slower")
class PasswordGuessingTest {

  private static final String RIGHT = "correct horse battery staple";

  /** A hub for each test: the throttle's entries of one test must not slow down another. */
  @StartHub private TestHub hub;

  @Test
  @DisplayName(
      "one session: three wrong passwords are free, then 429 with Retry-After, even for the right"
          + " password, until the wait has passed; then the right password enters")
  void oneSession() {
    User alice = hub.newUser();
    String id = alice.createRoom("Locked", 5, RIGHT).getString("id");
    User mallory = hub.newUser();

    List<Integer> statuses = new ArrayList<>();
    Reply slowed = null;
    long lastWrong = 0;
    for (int guess = 1; guess <= 30 && slowed == null; guess++) {
      Reply reply = mallory.enter(id, "guess " + guess);
      statuses.add(reply.status());
      if (reply.status() == 429) slowed = reply;
      else lastWrong = System.nanoTime();
    }

    assertThat(statuses)
        .as("the first four guesses are checked; the fifth comes during the wait")
        .containsExactly(403, 403, 403, 403, 429);
    assertRetryAfter(slowed);
    Reply right = mallory.enter(id, RIGHT);
    assertThat(right.status()).as("the right password during the wait: %s", right).isEqualTo(429);
    assertRetryAfter(right);

    Reply entered = TestHub.poll(() -> enteredOrNull(mallory.enter(id, RIGHT)));
    assertThat(entered).as("the right password once the wait has passed").isNotNull();
    assertThat((System.nanoTime() - lastWrong) / 1_000_000)
        .as("milliseconds from the last wrong guess to entering")
        .isGreaterThanOrEqualTo(900);
    assertThat(alice.enter(id).status()).as("the owner is not slowed down").isEqualTo(200);
  }

  @Test
  @DisplayName(
      "30 fresh sessions guessing one room: after 20 wrong guesses the room itself makes them wait"
          + " (429 with Retry-After), and a user who already entered is not affected")
  void freshSessions() {
    User alice = hub.newUser();
    String id = alice.createRoom("Popular target", 5, RIGHT).getString("id");
    User bob = hub.newUser();
    assertThat(bob.enter(id, RIGHT).status()).isEqualTo(200);

    List<Integer> statuses = new ArrayList<>();
    List<Reply> slowed = new ArrayList<>();
    for (int guesser = 1; guesser <= 30; guesser++) {
      Reply reply = hub.newUser().enter(id, "guess " + guesser);
      statuses.add(reply.status());
      if (reply.status() == 429) slowed.add(reply);
    }

    assertThat(statuses.subList(0, 20)).as("the first 20 guesses").containsOnly(403);
    assertThat(statuses.stream().filter(s -> s == 403).count())
        .as("wrong guesses checked at all, of 30: %s", statuses)
        .isLessThanOrEqualTo(23);
    assertThat(slowed).as("guesses told to wait").isNotEmpty();
    slowed.forEach(PasswordGuessingTest::assertRetryAfter);
    assertThat(bob.enter(id).status())
        .as("a user who already entered needs no password, so no wait")
        .isEqualTo(200);
  }

  @Test
  @DisplayName("a session slowed down on one room still enters another room with its password")
  void perRoom() {
    User alice = hub.newUser();
    String locked = alice.createRoom("Guessed", 5, RIGHT).getString("id");
    String other = alice.createRoom("Other", 5, "another secret").getString("id");
    User mallory = hub.newUser();
    for (int guess = 1; guess <= 5; guess++) mallory.enter(locked, "guess " + guess);
    assertThat(mallory.enter(locked, RIGHT).status()).isEqualTo(429);

    assertThat(mallory.enter(other, "another secret").status()).isEqualTo(200);
  }

  private static Reply enteredOrNull(Reply reply) {
    if (reply.status() == 200) return reply;
    assertThat(reply.status()).as("while waiting: %s", reply).isEqualTo(429);
    return null;
  }

  private static void assertRetryAfter(Reply reply) {
    assertThat(reply.status()).isEqualTo(429);
    assertThat(reply.header("Retry-After")).as("Retry-After of %s", reply).isNotNull();
    assertThat(Integer.parseInt(reply.header("Retry-After"))).isBetween(1, 300);
    assertThat(reply.json().getString("error")).containsIgnoringCase("password");
  }
}
