package roombus.bridge;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A room a socket registered on: live messages are buffered until its catch-up is written, then
 * flushed, skipping those the catch-up already carried. Live messages are never dropped for their
 * order: posts stored by different nodes may be published slightly out of seq order.
 */
final class RoomRegistration {

  /** A live message that came while the catch-up was being written. */
  record Pending(Buffer frame, long seq, String id) {}

  final String roomId;
  final List<Pending> pending = new ArrayList<>();

  /**
   * Seqs written from the store (catch-up, a filled gap) whose live copy may still come: it is not
   * written twice.
   */
  Set<Long> fromStore = new HashSet<>();

  /** The ids of whispers the catch-up wrote, likewise. */
  Set<String> whispersFromStore = new HashSet<>();

  final DeliveredSeqs seqs;
  boolean joined;
  boolean live;

  /** The step of entering the room under way (for the log, when it is slow). */
  String stage = "";

  /** A look at the store for a gap is due or under way. */
  boolean gapCheck;

  RoomRegistration(String roomId, long since) {
    this.roomId = roomId;
    this.seqs = new DeliveredSeqs(since);
  }

  /** Whether a live copy is still to be written (false once the store's copy was). */
  boolean fresh(long seq, String id) {
    if (seq > 0 && !fromStore.isEmpty() && fromStore.remove(seq)) return false;
    return id == null || whispersFromStore.isEmpty() || !whispersFromStore.remove(id);
  }

  /**
   * Forgets the copies written from the store: their live copies could only have been in flight for
   * a moment.
   */
  void forgetStoreCopies() {
    fromStore = new HashSet<>();
    whispersFromStore = new HashSet<>();
  }
}
