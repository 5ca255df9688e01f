package roombus.bridge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * The frames the bridge writes, as the stock Vert.x bridges write them: on SockJS and the raw
 * websocket a delivered message (a reply too) is {@code {"type":"rec", …}}; on the TCP bridge it is
 * {@code {"type":"message", …}} (a reply carries {@code "send":true}). Errors are {@code "err"}
 * frames with the stock fields on every transport.
 */
final class BridgeFrames {

  /** How a transport frames delivered messages. */
  enum Style {
    /** vertx-web's SockJS bridge: SockJS transports and the raw websocket. */
    REC("rec"),
    /** vertx-tcp-eventbus-bridge. */
    MESSAGE("message");

    private final String prefix;

    Style(String type) {
      this.prefix = "{\"type\":\"" + type + "\",\"address\":\"";
    }
  }

  private BridgeFrames() {}

  /**
   * A message published to {@code address}, its body already JSON text: built by appending, so that
   * the body is never parsed or encoded again.
   */
  static Buffer delivery(Style style, String address, Object body) {
    String json = body instanceof String s ? s : Json.encode(body);
    return Buffer.buffer(json.length() + address.length() + 48)
        .appendString(style.prefix)
        .appendString(address)
        .appendString("\",\"body\":")
        .appendString(json)
        .appendString("}");
  }

  /** The answer to a client's {@code send} that named a {@code replyAddress}. */
  static Buffer reply(Style style, String replyAddress, JsonObject body) {
    JsonObject frame =
        new JsonObject()
            .put("type", style == Style.REC ? "rec" : "message")
            .put("address", replyAddress);
    if (style == Style.MESSAGE) frame.put("send", true);
    return frame.put("body", body).toBuffer();
  }

  /**
   * The err frame a link writes just before it closes with {@code code} ({@link BridgeHub}'s close
   * codes), the same on every transport.
   */
  static Buffer closing(int code, String reason) {
    return err(null, code, BridgeHub.closeKind(code), reason, false);
  }

  /**
   * An error: {@code code} is the short machine-readable reason (also the stock bridges' {@code
   * body}, e.g. {@code access_denied}), {@code failureCode} a number in the HTTP sense, {@code
   * message} words for people. A failed reply names the reply address and has the stock {@code
   * RECIPIENT_FAILURE} type.
   */
  static Buffer err(String address, int failureCode, String code, String message, boolean reply) {
    JsonObject err =
        new JsonObject()
            .put("type", "err")
            .put("body", code)
            .put("failureCode", failureCode)
            .put("failureType", reply ? "RECIPIENT_FAILURE" : code)
            .put("message", message);
    if (address != null) err.put("address", address);
    return err.toBuffer();
  }

  /** The short reason of a refusal with this status. */
  static String codeOf(int status) {
    return switch (status) {
      case 400 -> "invalid_request";
      case 404 -> "not_found";
      case 409 -> "room_full";
      case 413 -> "frame_too_large";
      case 429 -> "rate_limited";
      case 503 -> "busy";
      default -> status >= 500 ? "internal_error" : "access_denied";
    };
  }
}
