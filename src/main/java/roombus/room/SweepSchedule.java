package roombus.room;

import java.util.TreeSet;

/**
 * When the sweeper has work. Every deadline the sweeper acts on (a room left empty, a seat held for
 * a user who has not connected yet) is handed out by some node's rooms verticle; this node notes
 * those it hands out and sweeps when one is due, so an idle node does not ask the store twice a
 * second about nothing. Deadlines it never saw (handed out by a node that died since, or by this
 * node before a restart) are found by a full pass every {@code backstopMs}, and at once after
 * start.
 *
 * <p>Used from the rooms verticle's event loop only.
 */
final class SweepSchedule {

  private final long backstopMs;

  /** Deadlines handed out here and not swept yet, to the millisecond. */
  private final TreeSet<Long> due = new TreeSet<>();

  private long lastSweep;

  /**
   * The last sweep did not finish its work (a full batch, or the store failed): go on. True at
   * start, when nothing is known of what the store holds.
   */
  private boolean unfinished = true;

  SweepSchedule(long backstopMs) {
    this.backstopMs = backstopMs;
  }

  /** A deadline handed out here: sweep once it has passed. */
  void dueAt(long deadline) {
    due.add(deadline);
  }

  /** Whether a sweep now has anything to do; if so, it counts as started now. */
  boolean sweepNow(long now) {
    boolean go =
        unfinished || now - lastSweep >= backstopMs || (!due.isEmpty() && due.first() <= now);
    if (go) {
      lastSweep = now;
      unfinished = false;
      due.headSet(now, true).clear();
    }
    return go;
  }

  /**
   * The sweep started last found work (there may be more than one batch of it) or failed: the next
   * tick sweeps again.
   */
  void unfinished() {
    unfinished = true;
  }
}
