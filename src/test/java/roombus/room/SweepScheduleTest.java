package roombus.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The sweeper asks the store only when a deadline has passed, or for a full pass")
class SweepScheduleTest {

  private static final long BACKSTOP = 10_000;

  /** The ticks (one a second, from {@code from} to {@code to}) at which the schedule sweeps. */
  private static long[] sweepsBetween(SweepSchedule schedule, long from, long to) {
    return LongStream.iterate(from, t -> t <= to, t -> t + 1_000)
        .filter(schedule::sweepNow)
        .toArray();
  }

  @Test
  @DisplayName("right after start, then once per backstop while no deadline is due")
  void idle() {
    SweepSchedule schedule = new SweepSchedule(BACKSTOP);

    assertThat(sweepsBetween(schedule, 0, 30_000)).containsExactly(0, 10_000, 20_000, 30_000);
  }

  @Test
  @DisplayName("at the first tick after each deadline handed out here, and not before")
  void deadlines() {
    SweepSchedule schedule = new SweepSchedule(BACKSTOP);
    schedule.sweepNow(0);
    schedule.dueAt(3_500);
    schedule.dueAt(3_700);
    schedule.dueAt(6_000);

    assertThat(sweepsBetween(schedule, 1_000, 9_000)).containsExactly(4_000, 6_000);
  }

  @Test
  @DisplayName("again at the next tick when a sweep found work or failed, until one finds none")
  void unfinished() {
    SweepSchedule schedule = new SweepSchedule(BACKSTOP);
    schedule.sweepNow(0);
    schedule.unfinished();

    assertThat(schedule.sweepNow(1_000)).isTrue();
    assertThat(schedule.sweepNow(2_000)).as("the sweep at 1 s found nothing").isFalse();
  }
}
