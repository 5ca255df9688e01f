package roombus.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import roombus.busclient.BusClient;

/**
 * One bridge connection of a simulated roombus user (the raw event-bus websocket, or SockJS
 * xhr-polling), bound to one event loop of the load generator. It registers on its room, waits for
 * the welcome, then reads every frame: a chat line of this run carries its send time ({@link
 * ChatLine}), so the receiver measures send-to-receive latency with the same clock. Frames come
 * unparsed (the client's raw frame handler) and are scanned as bytes; only error frames are parsed
 * as JSON. Whether the hub says {@code rec} or {@code message} does not matter to the scan.
 */
final class RoombusLink extends JoiningLink {

  private static final byte[] WELCOME_MARK =
      "\"type\":\"welcome\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERR_MARK = "{\"type\":\"err\"".getBytes(StandardCharsets.US_ASCII);

  private BusClient bus;

  /** The send frame up to the chat text; known once the room is (its creator names it). */
  private String framePrefix;

  RoombusLink(BenchRun run, BenchUser user, Context context) {
    super(run, user, context);
  }

  /** Connects with the user's cookie and registers on the room; the welcome says it is in. */
  @Override
  Future<Void> open() {
    framePrefix =
        "{\"type\":\"send\",\"address\":\"" + user.room.address + "\",\"body\":{\"chat\":\"";
    return user.node
        .connect(
            run.vertx, user.api.sid(), run.options.transport().equals(BenchOptions.XHR_POLLING))
        .compose(
            client -> {
              bus = client.rawFrameHandler(this::received).closeHandler(x -> closed());
              step("awaiting_welcome");
              return bus.register(user.room.address, null, null)
                  .recover(err -> Future.failedFuture("register_not_sent"));
            });
  }

  @Override
  Future<Void> closeSocket() {
    return bus == null ? Future.succeededFuture() : bus.close();
  }

  @Override
  public boolean post(long now) {
    if (!live() || !bus.isOpen() || bus.writeQueueFull()) return false;
    StringBuilder frame =
        new StringBuilder(framePrefix.length() + run.options.messageSize() + 48)
            .append(framePrefix);
    ChatLine.append(frame, now, run.runId, run.options.messageSize()).append("\"}}");
    bus.write(frame.toString());
    return true;
  }

  @Override
  public void ping() {
    if (live() && bus.isOpen()) bus.ping();
  }

  private void received(Buffer frame) {
    long now = System.nanoTime();
    long sentAt = ChatLine.sentAt(frame, run.runId);
    if (sentAt != ChatLine.NOT_CHAT) {
      if (sentAt >= 0) run.delivered(sentAt, now);
      return;
    }
    if (!live() && ChatLine.indexOf(frame, WELCOME_MARK, 0) >= 0) {
      joined.tryComplete();
      return;
    }
    if (ChatLine.startsWith(frame, ERR_MARK)) {
      String type;
      try {
        JsonObject err = new JsonObject(frame);
        type = String.valueOf(err.getValue("failureType"));
        if (!live() && user.room.address.equals(err.getString("address")))
          joined.tryFail("register_" + type);
      } catch (RuntimeException e) {
        type = "unparsable";
      }
      run.error("err_" + type);
    }
  }
}
