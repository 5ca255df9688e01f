package roombus.chat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.common.ApiError;
import roombus.common.ThrottledLog;
import roombus.identity.Identity;
import roombus.metrics.HubMetrics;
import roombus.model.ChatMessage;
import roombus.model.Participant;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;
import roombus.model.Whisper;
import roombus.room.RoomEvents;
import roombus.store.Stores;

/**
 * Posting to a room, the same for HTTP and for the bridge: validate, store (which assigns the
 * sequence number), and only then publish to the room. A post that carries an idempotency key is
 * stored once: sending it again answers the message stored the first time, and publishes nothing
 * more.
 */
public final class ChatService {

  private static final Logger log = LoggerFactory.getLogger(ChatService.class);
  private static final ThrottledLog.PerKind REFUSALS =
      ThrottledLog.perKind(log, java.time.Duration.ofSeconds(1));

  /** What an idempotency key may look like: a UUID, or any short token of these characters. */
  private static final Pattern KEY =
      Pattern.compile("[A-Za-z0-9_.:-]{1," + ChatMessage.MAX_KEY + "}");

  private final Stores store;
  private final RoomEvents events;
  private final HubMetrics metrics;
  private final PostsInFlight inFlight;

  public ChatService(Vertx vertx) {
    this.store = Stores.of(vertx);
    this.events = new RoomEvents(vertx);
    this.metrics = HubMetrics.of(vertx);
    this.inFlight = PostsInFlight.of(vertx);
  }

  /** A chat line; {@code key} (may be null) makes the post idempotent. */
  public Future<ChatMessage> postText(String roomId, Identity who, Object text, Object key) {
    return counted(
        roomId,
        who,
        validKey(key)
            .compose(
                k ->
                    validText(text)
                        .compose(
                            chat ->
                                publish(message(roomId, who, ChatMessage.CHAT, chat, null, k)))));
  }

  /**
   * A post refused before it got here because its user posts too fast: counted and logged as the
   * others.
   */
  public Refusal tooFast(String roomId, Identity who) {
    Refusal refusal = new Refusal(Reason.TOO_FAST);
    metrics.posted();
    refused(roomId, who, refusal);
    return refusal;
  }

  /** Counts a post, and its refusal (logged, at most a line a second per reason) or its storing. */
  private <T> Future<T> counted(String roomId, Identity who, Future<T> post) {
    metrics.posted();
    return post.onFailure(err -> refused(roomId, who, err));
  }

  private void refused(String roomId, Identity who, Throwable err) {
    String reason;
    if (err instanceof Refusal r) reason = r.reason().name().toLowerCase(Locale.ROOT);
    else if (ApiError.timedOut(err)) reason = "timeout"; // answered 503 busy
    else reason = "error";
    metrics.refused(reason);
    REFUSALS.warn(
        reason, "event=post_refused reason={} room={} user={}", reason, roomId, who.user());
  }

  /**
   * A private message to one user in the room: stored for the two of them only, then delivered live
   * to the sockets of the two of them only. Fails {@code NO_SUCH_USER} when the recipient is not in
   * the room.
   */
  public Future<Whisper> whisper(String roomId, Identity who, Object to, Object text, Object key) {
    if (!(to instanceof String recipient) || recipient.isEmpty()) {
      return counted(
          roomId,
          who,
          Future.failedFuture(Refusal.invalid("'to' must be the user id of someone in the room")));
    }
    return counted(
        roomId,
        who,
        validKey(key)
            .compose(
                k ->
                    validText(text)
                        .compose(
                            chat ->
                                sentBefore(roomId, who, k)
                                    .compose(
                                        before ->
                                            before != null
                                                ? Future.succeededFuture(
                                                    before) // a repeat: answered even if the
                                                // recipient has left since
                                                : storeWhisper(roomId, who, recipient, chat, k)))));
  }

  /** Both users must be in the room; the whisper is stored, then shown to the two of them. */
  private Future<Whisper> storeWhisper(
      String roomId, Identity who, String recipient, String chat, String key) {
    return store
        .presence()
        .participants(roomId)
        .compose(
            people -> {
              if (people.stream().noneMatch(p -> who.user().equals(p.user()))) {
                return Future.failedFuture(
                    new Refusal(Reason.NOT_ENTERED, "Join the room to whisper in it"));
              }
              Participant target =
                  people.stream().filter(p -> recipient.equals(p.user())).findFirst().orElse(null);
              if (target == null) return Future.failedFuture(new Refusal(Reason.NO_SUCH_USER));
              Whisper whisper =
                  new Whisper(
                      ChatMessage.newId(),
                      roomId,
                      0,
                      who.user(),
                      who.color(),
                      recipient,
                      target.color(),
                      chat,
                      Instant.now().toString(),
                      key);
              return store
                  .chats()
                  .whisper(whisper)
                  .onSuccess(
                      stored -> {
                        if (stored.id().equals(whisper.id())) events.whisper(stored);
                      });
            });
  }

  private Future<Whisper> sentBefore(String roomId, Identity who, String key) {
    return key == null
        ? Future.succeededFuture()
        : store.chats().whisperSent(roomId, who.user(), key);
  }

  private static Future<String> validText(Object text) {
    if (!(text instanceof String chat) || chat.isBlank()) {
      return Future.failedFuture(
          Refusal.invalid(
              "A message needs 'chat': text of 1 to " + ChatMessage.MAX_CHAT + " characters"));
    }
    if (chat.codePointCount(0, chat.length()) > ChatMessage.MAX_CHAT) {
      return Future.failedFuture(
          Refusal.invalid("A message is at most " + ChatMessage.MAX_CHAT + " characters"));
    }
    return Future.succeededFuture(chat);
  }

  private static Future<String> validKey(Object key) {
    if (key == null) return Future.succeededFuture(null);
    if (key instanceof String k && KEY.matcher(k).matches()) return Future.succeededFuture(k);
    return Future.failedFuture(
        Refusal.invalid(
            "'key' must be 1 to "
                + ChatMessage.MAX_KEY
                + " letters, digits or - _ . : (a UUID, say)"));
  }

  /** Stores a validated GIF upload (a file on this node) and announces it. */
  public Future<ChatMessage> postGif(String roomId, Identity who, String uploadedFile) {
    return counted(
        roomId,
        who,
        store
            .gifs()
            .put(uploadedFile, roomId)
            .compose(fileId -> publish(message(roomId, who, ChatMessage.GIF, null, fileId, null))));
  }

  /**
   * Stores, then publishes: unless the store answers a message it had before (a post sent again).
   * Refused as busy when the node has too many posts on their way to the store ({@link
   * PostsInFlight}).
   */
  private Future<ChatMessage> publish(ChatMessage message) {
    if (!inFlight.tryEnter()) return Future.failedFuture(new Refusal(Reason.BUSY));
    long arrived = System.nanoTime();
    return store
        .chats()
        .append(message)
        .onComplete(done -> inFlight.leave())
        .onSuccess(
            stored -> {
              if (!stored.id().equals(message.id()))
                return; // sent again: stored and published the first time
              metrics.stored(stored.room(), System.nanoTime() - arrived);
              events.stored(stored);
            });
  }

  private static ChatMessage message(
      String roomId, Identity who, String type, String chat, String gif, String key) {
    return new ChatMessage(
        ChatMessage.newId(),
        0,
        roomId,
        type,
        who.user(),
        who.color(),
        chat,
        gif,
        Instant.now().toString(),
        key);
  }
}
