package roombus.bridge;

import java.util.TreeSet;

/**
 * Which of a room's stored messages a socket has been given, by seq: every one up to {@link
 * #through()}, and some beyond a gap. Seqs are handed out without holes, and live copies from
 * different nodes may arrive slightly out of order, so a gap is normal for a moment; one that lasts
 * is a publication that never arrived (a node that learnt of this socket's subscription late, or
 * died between storing a message and publishing it), and is filled from the store.
 */
final class DeliveredSeqs {

  /** Every seq up to this one was written, or looked up and found not to exist. -1: none yet. */
  private long through;

  /**
   * Seqs written past the gap after {@link #through}; null while there is no gap (most of the time:
   * a registration per socket need not hold an empty tree).
   */
  private TreeSet<Long> ahead;

  /**
   * {@code since}: the last seq the client had when it registered, or -1 when it asked for no
   * catch-up (then the first seq written starts the count).
   */
  DeliveredSeqs(long since) {
    this.through = since;
  }

  /** Records a seq written to the client; true when it leaves a gap behind it. */
  boolean wrote(long seq) {
    if (seq <= 0) return false; // not a stored message
    if (through < 0) {
      through = seq;
      return false;
    }
    if (seq <= through) return false;
    if (seq == through + 1) {
      through = seq;
      closeUp();
      return false;
    }
    if (ahead == null) ahead = new TreeSet<>();
    ahead.add(seq);
    return true;
  }

  boolean hasGap() {
    return ahead != null;
  }

  long through() {
    return through;
  }

  /** The highest seq written. */
  long highest() {
    return ahead == null ? through : ahead.last();
  }

  /** Whether a seq past {@link #through()} was written. */
  boolean wroteAhead(long seq) {
    return ahead != null && ahead.contains(seq);
  }

  /**
   * The store was asked for every seq up to {@code upTo}, and what it had was written: the rest
   * does not exist (or no longer matters), and the count moves on past it.
   */
  void settledThrough(long upTo) {
    if (upTo <= through) return;
    through = upTo;
    if (ahead != null) ahead.headSet(upTo, true).clear();
    closeUp();
  }

  private void closeUp() {
    if (ahead == null) return;
    while (!ahead.isEmpty() && ahead.first() == through + 1) through = ahead.pollFirst();
    if (ahead.isEmpty()) ahead = null;
  }
}
