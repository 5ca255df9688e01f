package roombus.store;

import java.util.List;

/**
 * Which node numbers (and stores) a room's messages: each room has one, chosen by rendezvous
 * hashing over the live nodes, so every node agrees without asking anybody, and when a node joins
 * or leaves only the rooms it numbered (or will number) move.
 *
 * <p>With one numbering node per room, a room's messages are numbered in one node's memory and
 * never compete for the same number ({@link RoomNumbers}); messages posted on other nodes cost one
 * event-bus hop instead. While the nodes disagree on membership for a moment, two nodes may number
 * one room; the store's unique key settles that.
 */
final class NumberingNodes {

  private NumberingNodes() {}

  /**
   * The node that numbers {@code room}'s messages; {@code self} when no node is known (not
   * clustered yet).
   */
  static String of(String room, List<String> liveNodes, String self) {
    if (liveNodes.size() <= 1) return self;
    String best = self;
    long bestScore = Long.MIN_VALUE;
    int roomHash = room.hashCode();
    for (String node : liveNodes) {
      long score = mix(((long) roomHash << 32) ^ (node.hashCode() & 0xffffffffL));
      if (score > bestScore || score == bestScore && node.compareTo(best) < 0) {
        best = node;
        bestScore = score;
      }
    }
    return best;
  }

  /** MurmurHash3's 64-bit finalizer: every input bit moves about half the output bits. */
  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb93e7fe1a85bL;
    h ^= h >>> 33;
    return h;
  }
}
