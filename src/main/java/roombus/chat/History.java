package roombus.chat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import roombus.model.ChatMessage;
import roombus.model.Whisper;
import roombus.store.Stores;

/**
 * A room's history as one user may read it: the stored messages, numbered the same for everyone,
 * with the whispers that user sent or received among them, each right after the message it
 * followed. Every route that reads history (the {@code enter} answer, {@code GET …/chats}, the
 * bridge's catch-up) reads it here, so a whisper is seen by its two users on all of them, and by
 * nobody else on any.
 */
public final class History {

  /** At most this many whispers come with one page of messages. */
  static final int MAX_WHISPERS = 500;

  private final Stores store;

  public History(Vertx vertx) {
    this.store = Stores.of(vertx);
  }

  /**
   * A page, oldest first: with {@code after}, the messages numbered after it (at most {@code
   * limit}); otherwise the newest {@code limit} before {@code before} (or overall). {@code user}
   * (may be null: no whispers) reads their whispers in the same stretch of the room.
   */
  public Future<List<JsonObject>> page(
      String roomId, String user, Long before, Long after, int limit) {
    return store
        .chats()
        .page(roomId, before, after, limit)
        .compose(messages -> withWhispers(roomId, user, messages, before, after, limit));
  }

  /**
   * A page of messages read as {@link #page} does, with {@code user}'s whispers placed among them.
   * A page covers the whispers after its messages up to where the next page starts, so that paging
   * through the history in either direction meets each whisper once.
   */
  public Future<List<JsonObject>> withWhispers(
      String roomId, String user, List<ChatMessage> messages, Long before, Long after, int limit) {
    if (user == null)
      return Future.succeededFuture(messages.stream().map(ChatMessage::toJson).toList());
    long from;
    Long to;
    if (after != null) {
      from = after;
      to = messages.size() < limit ? null : messages.get(messages.size() - 1).seq() - 1;
    } else {
      from = messages.isEmpty() || messages.get(0).seq() <= 1 ? 0 : messages.get(0).seq();
      to = before == null ? null : before - 1;
    }
    return store
        .chats()
        .whispers(roomId, user, from, to, MAX_WHISPERS)
        .map(whispers -> merge(messages, whispers));
  }

  /** Messages in seq order, each whisper after the message it followed. */
  static List<JsonObject> merge(List<ChatMessage> messages, List<Whisper> whispers) {
    List<JsonObject> merged = new ArrayList<>(messages.size() + whispers.size());
    int w = 0;
    for (ChatMessage message : messages) {
      while (w < whispers.size() && whispers.get(w).after() < message.seq())
        merged.add(whispers.get(w++).toJson());
      merged.add(message.toJson());
    }
    while (w < whispers.size()) merged.add(whispers.get(w++).toJson());
    return merged;
  }
}
