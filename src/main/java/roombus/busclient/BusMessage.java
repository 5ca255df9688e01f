package roombus.busclient;

import io.vertx.core.json.JsonObject;

/**
 * A message the hub delivered: to an address the client registered on, or a reply to its send.
 *
 * @param address where it was delivered (for a reply: the send's reply address)
 * @param body any JSON value; roombus events are objects ({@link #json()})
 * @param headers the message's headers, empty when it had none
 * @param replyAddress where an answer would go, or null
 */
public record BusMessage(String address, Object body, JsonObject headers, String replyAddress) {

  /**
   * The message a frame carries, or null when the frame is something else. The SockJS bridge of
   * stock Vert.x says {@code "rec"} and its TCP bridge {@code "message"}; roombus has used both, so
   * either is a message on every transport.
   */
  public static BusMessage of(JsonObject frame) {
    Object type = frame.getValue("type");
    if (!"rec".equals(type) && !"message".equals(type)) return null;
    if (!(frame.getValue("address") instanceof String address)) return null;
    JsonObject headers = frame.getValue("headers") instanceof JsonObject h ? h : new JsonObject();
    String replyAddress = frame.getValue("replyAddress") instanceof String r ? r : null;
    return new BusMessage(address, frame.getValue("body"), headers, replyAddress);
  }

  /** The body when it is a JSON object (every roombus event is), else null. */
  public JsonObject json() {
    return body instanceof JsonObject json ? json : null;
  }
}
