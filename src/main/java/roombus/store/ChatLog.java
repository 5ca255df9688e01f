package roombus.store;

import io.vertx.core.Future;
import java.util.List;
import roombus.model.ChatMessage;

/** Each room's messages, numbered 1, 2, 3, … in the order they are stored. */
public interface ChatLog {

  /**
   * Stores a message under the room's next number; completes once the store acknowledged it durably.
   * Fails {@code NO_SUCH_ROOM}, {@code REMOVED} (an authored message whose author the owner removed) or
   * {@code BUSY} (too many messages waiting: nothing was stored).
   */
  Future<ChatMessage> append(ChatMessage message);

  /**
   * A page of the room's messages, oldest first: with {@code after}, those numbered after it (at most
   * {@code limit}); otherwise the newest {@code limit} before {@code before} (or overall).
   */
  Future<List<ChatMessage>> page(String roomId, Long before, Long after, int limit);

  /** Deletes a deleted room's messages and their GIFs. */
  Future<Void> purge(String roomId);
}
