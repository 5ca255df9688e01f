package roombus;

import static roombus.TestHub.poll;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every bridge frame a test client received, in order, and the waits a test needs on them. The
 * websocket, TCP and polling test clients (over {@code roombus.busclient}) all keep their frames
 * here.
 */
public final class FrameLog {

  private final List<JsonObject> frames = new ArrayList<>();

  /**
   * The type of a delivered message on this transport: {@code rec} (SockJS, websocket) or {@code
   * message} (TCP).
   */
  private final String deliveryType;

  public FrameLog(String deliveryType) {
    this.deliveryType = deliveryType;
  }

  void add(JsonObject frame) {
    synchronized (frames) {
      frames.add(frame);
    }
  }

  /** Every frame received so far, in order. */
  public List<JsonObject> frames() {
    synchronized (frames) {
      return List.copyOf(frames);
    }
  }

  /** The bodies of the messages delivered on {@code address}, in order. */
  public List<JsonObject> messages(String address) {
    return frames().stream()
        .filter(
            f -> deliveryType.equals(f.getString("type")) && address.equals(f.getString("address")))
        .map(
            f ->
                f.getValue("body") instanceof JsonObject body
                    ? body
                    : new JsonObject().put("raw", f.getValue("body")))
        .toList();
  }

  /** Waits for the first frame (received before or after this call) that matches. */
  public JsonObject awaitFrame(String what, Predicate<JsonObject> matching) {
    JsonObject found = poll(() -> frames().stream().filter(matching).findFirst().orElse(null));
    if (found == null) throw new AssertionError("No frame: " + what + "; frames: " + frames());
    return found;
  }

  /** Waits for the body of a message on {@code address} that matches. */
  public JsonObject awaitMessage(String address, Predicate<JsonObject> matching) {
    JsonObject found =
        poll(() -> messages(address).stream().filter(matching).findFirst().orElse(null));
    if (found == null)
      throw new AssertionError("No matching message on " + address + "; frames: " + frames());
    return found;
  }

  /** Waits for an err frame, about {@code address} if given. */
  public JsonObject awaitError(String address) {
    return awaitFrame(
        "an err frame for " + address,
        f ->
            "err".equals(f.getString("type"))
                && (address == null || address.equals(f.getString("address"))));
  }
}
