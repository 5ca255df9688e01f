package roombus.bridge;

import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.common.ApiError;
import roombus.common.ThrottledLog;
import roombus.identity.Identity;
import roombus.model.ChatMessage;
import roombus.model.Refusal;
import roombus.model.Whisper;

/**
 * What one connection sends to its rooms ({@code send} frames): chat lines and whispers, which are
 * stored before anyone gets them, and "typing" notices, which are not stored. A post is answered on
 * the frame's {@code replyAddress} (the stored message, or an err frame); without one, a refusal
 * comes as an err frame on the room's address. Counts the posts taken and not yet answered, which a
 * draining node waits for.
 */
final class RoomPosts {

  private static final Logger log = LoggerFactory.getLogger(RoomPosts.class);

  private static final ThrottledLog faultLog = ThrottledLog.of(log, 10);

  private final BridgeHub hub;
  private final BridgeConnection connection;
  private int inFlight;

  RoomPosts(BridgeHub hub, BridgeConnection connection) {
    this.hub = hub;
    this.connection = connection;
  }

  /** A {@code send} frame to {@code address}, from the connection's user. */
  void send(String address, JsonObject frame) {
    String replyAddress = frame.getValue("replyAddress") instanceof String r ? r : null;
    String roomId = BridgeRules.roomOf(address);
    Identity identity = connection.identity();
    if (roomId == null || identity == null) {
      connection.error(address, 403, "access_denied", "You cannot send to this address");
      return;
    }
    JsonObject body = frame.getValue("body") instanceof JsonObject json ? json : new JsonObject();
    if (body.getValue("typing") instanceof Boolean typing && !body.containsKey("chat")) {
      typing(address, roomId, identity, replyAddress, typing);
      return;
    }
    if (!hub.postLimiter().tryAcquire(identity.user())) {
      fail(replyAddress, address, ApiError.of(hub.chats().tooFast(roomId, identity)));
      return;
    }
    Object chat = body.getValue("chat");
    Object to = body.getValue("to");
    Object key = body.getValue("key");
    inFlight++;
    connection
        .mayPost(roomId)
        .compose(
            v ->
                to == null
                    ? hub.chats().postText(roomId, identity, chat, key).map(ChatMessage::toJson)
                    : hub.chats().whisper(roomId, identity, to, chat, key).map(Whisper::toJson))
        .onSuccess(
            stored -> {
              if (replyAddress != null)
                connection.write(BridgeFrames.reply(connection.style(), replyAddress, stored));
            })
        .onFailure(
            err -> {
              ApiError api = ApiError.from(err);
              if (api == null) faultLog.warn("Posting to room {} failed", roomId, err);
              fail(
                  replyAddress,
                  address,
                  api != null ? api : new ApiError(500, "The message was not stored"));
            })
        .onComplete(done -> inFlight--);
  }

  /** Whether a post is taken and not yet answered. */
  boolean inFlight() {
    return inFlight > 0;
  }

  /**
   * "I am typing" (or stopped), from a socket that is in the room: published to the others there,
   * never stored. Limited per user on this node; beyond the limit it is dropped (with a {@code
   * replyAddress}, refused with 429), since the next one will say the same.
   */
  private void typing(
      String address, String roomId, Identity identity, String replyAddress, boolean typing) {
    if (!connection.isIn(address)) {
      fail(
          replyAddress,
          address,
          ApiError.of(new Refusal(Refusal.Reason.NOT_ENTERED, "Join the room first")));
      return;
    }
    if (!hub.postLimiter().tryTyping(identity.user())) {
      if (replyAddress != null)
        fail(replyAddress, address, ApiError.of(new Refusal(Refusal.Reason.TOO_FAST)));
      return;
    }
    hub.events().typing(roomId, identity, typing);
    if (replyAddress != null) {
      connection.write(
          BridgeFrames.reply(
              connection.style(),
              replyAddress,
              new JsonObject().put("type", "typing").put("typing", typing)));
    }
  }

  /** A post that failed: told on its reply address when it has one, else on the room's. */
  private void fail(String replyAddress, String address, ApiError failure) {
    String code = BridgeFrames.codeOf(failure.status());
    connection.write(
        replyAddress != null
            ? BridgeFrames.err(replyAddress, failure.status(), code, failure.getMessage(), true)
            : BridgeFrames.err(address, failure.status(), code, failure.getMessage(), false));
  }
}
