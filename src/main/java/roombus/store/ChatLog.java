package roombus.store;

import io.vertx.core.Future;
import java.util.List;
import roombus.model.ChatMessage;
import roombus.model.Whisper;

/**
 * Each room's messages, numbered 1, 2, 3, … in the order they are stored; and its whispers, which
 * are not numbered (only their two users ever see them) but placed after the message they followed.
 */
public interface ChatLog {

  /**
   * Stores a message under the room's next number; completes once the store acknowledged it
   * durably. A message with a {@link ChatMessage#key() key} is stored once per room, author and
   * key: appending it again answers the message stored the first time (with its own id and seq).
   * Fails {@code NO_SUCH_ROOM}, {@code REMOVED} (an authored message whose author the owner
   * removed) or {@code BUSY} (too many messages waiting: nothing was stored).
   */
  Future<ChatMessage> append(ChatMessage message);

  /**
   * Stores a whisper after the room's newest message (its {@code after} is set here), once per
   * room, sender and key like {@link #append}; answers it as stored. Fails {@code NO_SUCH_ROOM}.
   */
  Future<Whisper> whisper(Whisper whisper);

  /**
   * The whisper {@code user} stored in the room under {@code key}, or null: a repeat is answered
   * with it.
   */
  Future<Whisper> whisperSent(String roomId, String user, String key);

  /**
   * The whispers {@code user} sent or received in the room, placed after messages {@code fromAfter}
   * to {@code toAfter} (both included; {@code toAfter} null: no upper bound), in the order they
   * were stored, at most {@code limit}.
   */
  Future<List<Whisper>> whispers(
      String roomId, String user, long fromAfter, Long toAfter, int limit);

  /**
   * A page of the room's messages, oldest first: with {@code after}, those numbered after it (at
   * most {@code limit}); otherwise the newest {@code limit} before {@code before} (or overall).
   */
  Future<List<ChatMessage>> page(String roomId, Long before, Long after, int limit);

  /** Deletes a deleted room's messages, whispers and GIFs. */
  Future<Void> purge(String roomId);
}
