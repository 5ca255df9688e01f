package roombus.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Supplier;
import roombus.Addresses;
import roombus.model.ChatMessage;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;
import roombus.model.Whisper;

/**
 * The chat log as the rest of the node sees it: an append goes to the node that numbers its room
 * ({@link NumberingNodes}), here or over the clustered event bus; if that node has no store
 * verticle (leaving, or not started yet), this node numbers the message itself, and the unique
 * {@code (room, seq)} index keeps numbers right either way. Refusals cross nodes as a failure code
 * (the {@link Reason}'s ordinal) and come back as {@link Refusal}s.
 */
final class NumberedAppends implements ChatLog {

  /** Shorter than the 15 s a caller waits, so that the caller hears why. */
  private static final long PASS_ON_TIMEOUT_MS = 10_000;

  /**
   * The header of a passed-on append that says when its sender stops waiting (epoch milliseconds):
   * one that reaches the numbering node later is refused as busy, not stored.
   */
  static final String DEADLINE = "roombus-deadline";

  private static final int REFUSAL_CODES = 1000;

  private final Vertx vertx;
  private final MongoChatLog local;
  private final String nodeId;
  private final Supplier<List<String>> liveNodes;

  NumberedAppends(
      Vertx vertx, MongoChatLog local, String nodeId, Supplier<List<String>> liveNodes) {
    this.vertx = vertx;
    this.local = local;
    this.nodeId = nodeId;
    this.liveNodes = liveNodes;
  }

  /** Takes the appends other nodes pass on for the rooms this node numbers. */
  MessageConsumer<JsonObject> takeAppendsOfOtherNodes() {
    return vertx
        .eventBus()
        .consumer(
            Addresses.numbering(nodeId),
            msg ->
                (expired(msg)
                        ? Future.<ChatMessage>failedFuture(new Refusal(Reason.BUSY))
                        : local.append(ChatMessage.fromJson(msg.body())))
                    .onSuccess(stored -> msg.reply(stored.toJson()))
                    .onFailure(
                        err -> {
                          if (err instanceof Refusal r)
                            msg.fail(REFUSAL_CODES + r.reason().ordinal(), r.getMessage());
                          else msg.fail(500, String.valueOf(err.getMessage()));
                        }));
  }

  /**
   * Whether the node that passed this append on has stopped waiting for it: storing it now would
   * only take the store's time from appends still awaited (its sender was told it failed, and sends
   * it again with the same key).
   */
  private static boolean expired(Message<JsonObject> msg) {
    String deadline = msg.headers().get(DEADLINE);
    if (deadline == null) return false; // a node of a version without deadlines
    try {
      return Long.parseLong(deadline) < System.currentTimeMillis();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Override
  public Future<ChatMessage> append(ChatMessage message) {
    String numberer = NumberingNodes.of(message.room(), liveNodes.get(), nodeId);
    if (numberer.equals(nodeId)) return local.append(message);
    return vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.numbering(numberer),
            message.toJson(),
            new DeliveryOptions()
                .setSendTimeout(PASS_ON_TIMEOUT_MS)
                .addHeader(
                    DEADLINE, Long.toString(System.currentTimeMillis() + PASS_ON_TIMEOUT_MS)))
        .map(Message::body)
        .map(ChatMessage::fromJson)
        .recover(
            err -> {
              if (!(err instanceof ReplyException reply)) return Future.failedFuture(err);
              if (reply.failureType() == ReplyFailure.NO_HANDLERS) return local.append(message);
              int code = reply.failureCode() - REFUSAL_CODES;
              if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
                  && code >= 0
                  && code < Reason.values().length) {
                return Future.failedFuture(new Refusal(Reason.values()[code]));
              }
              return Future.failedFuture(err);
            });
  }

  /** Whispers are not numbered: this node stores them itself. */
  @Override
  public Future<Whisper> whisper(Whisper whisper) {
    return local.whisper(whisper);
  }

  @Override
  public Future<Whisper> whisperSent(String roomId, String user, String key) {
    return local.whisperSent(roomId, user, key);
  }

  @Override
  public Future<List<Whisper>> whispers(
      String roomId, String user, long fromAfter, Long toAfter, int limit) {
    return local.whispers(roomId, user, fromAfter, toAfter, limit);
  }

  @Override
  public Future<List<ChatMessage>> page(String roomId, Long before, Long after, int limit) {
    return local.page(roomId, before, after, limit);
  }

  @Override
  public Future<Void> purge(String roomId) {
    return local.purge(roomId);
  }
}
