package roombus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The client's outbox sends typed lines one at a time, in order, each answered first")
class LineOutboxTest {

  /** The lines handed to the connection, each with the answer it waits for. */
  private final List<String> sent = new ArrayList<>();

  private final List<Promise<Long>> answers = new ArrayList<>();
  private final List<Throwable> reported = new ArrayList<>();
  private int allSent;

  private final LineOutbox outbox =
      new LineOutbox(
          line -> {
            Promise<Long> answer = Promise.promise();
            sent.add(line);
            answers.add(answer);
            return answer.future();
          },
          reported::add,
          () -> allSent++);

  private Promise<Long> answer(int index) {
    return answers.get(index);
  }

  @Test
  @DisplayName("a line waits until the one before it is answered; blank lines are not sent")
  void oneAtATime() {
    outbox.add("one");
    outbox.add("   ");
    outbox.add("two");

    assertThat(sent).containsExactly("one");
    answer(0).complete(7L);
    assertThat(sent).containsExactly("one", "two");
    answer(1).complete(9L);
    assertThat(outbox.lastAcknowledged()).isEqualTo(9);
    assertThat(allSent).isZero();
  }

  @Test
  @DisplayName("a line the connection did not take goes first again once resumed")
  void notTakenGoesAgain() {
    outbox.add("one");
    outbox.add("two");
    outbox.pause();
    answer(0).fail(new LineOutbox.NotTaken());

    assertThat(sent).containsExactly("one");
    outbox.resume();
    assertThat(sent).containsExactly("one", "one");
    answer(1).complete(3L);
    assertThat(sent).containsExactly("one", "one", "two");
    assertThat(reported).isEmpty();
  }

  @Test
  @DisplayName("any other failure is reported once and the next line goes on")
  void failureReported() {
    outbox.add("one");
    outbox.add("two");
    IllegalStateException refused = new IllegalStateException("too long");
    answer(0).fail(refused);

    assertThat(reported).containsExactly(refused);
    assertThat(sent).containsExactly("one", "two");
  }

  @Test
  @DisplayName("end of input says all is sent once the last line is answered, and only once")
  void endAfterLastAnswer() {
    outbox.add("one");
    outbox.end();
    assertThat(allSent).isZero();

    answer(0).complete(1L);
    assertThat(allSent).isEqualTo(1);
    outbox.add("late");
    outbox.end();
    assertThat(allSent).isEqualTo(1);
    assertThat(sent).containsExactly("one");
  }

  @Test
  @DisplayName("once closed nothing more is sent, and a failure after it is not reported")
  void closed() {
    outbox.add("one");
    outbox.add("two");
    outbox.close();
    answer(0).fail(new IllegalStateException("connection closed"));

    assertThat(sent).containsExactly("one");
    assertThat(reported).isEmpty();
    assertThat(allSent).isZero();
  }

  @Test
  @DisplayName("an outbox with nothing queued ends at once")
  void endEmpty() {
    outbox.end();
    assertThat(allSent).isEqualTo(1);
  }
}
