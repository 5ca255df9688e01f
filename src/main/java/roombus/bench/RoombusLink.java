package roombus.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
final class RoombusLink implements BenchLink {

  private static final byte[] WELCOME_MARK =
      "\"type\":\"welcome\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERR_MARK = "{\"type\":\"err\"".getBytes(StandardCharsets.US_ASCII);

  final BenchUser user;
  final int tab;
  final Context context;
  private final BenchRun run;
  private BusClient bus;

  /** The send frame up to the chat text; known once the room is (its creator names it). */
  private String framePrefix;

  private Promise<Void> welcome;
  private boolean live;
  private volatile String step = "queued";
  private volatile boolean closing;
  private volatile long connectMicros;

  RoombusLink(BenchRun run, BenchUser user, int tab, Context context) {
    this.run = run;
    this.user = user;
    this.tab = tab;
    this.context = context;
  }

  @Override
  public BenchUser user() {
    return user;
  }

  @Override
  public long connectMicros() {
    return connectMicros;
  }

  /**
   * Connects with the user's cookie, registers on the room and completes at its welcome. Any
   * thread.
   */
  @Override
  public Future<Void> connect() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          long start = System.nanoTime();
          framePrefix =
              "{\"type\":\"send\",\"address\":\"" + user.room.address + "\",\"body\":{\"chat\":\"";
          welcome = Promise.promise();
          step = "connecting";
          // whatever hangs (the handshake, the register), the socket gives up after 30 s and counts
          // as failed
          long timer =
              run.vertx.setTimer(
                  30_000,
                  id -> {
                    welcome.tryFail("welcome_timeout");
                    done.tryFail("connect_timeout");
                  });
          user.node
              .connect(
                  run.vertx,
                  user.api.sid(),
                  run.options.transport().equals(BenchOptions.XHR_POLLING))
              .compose(
                  client -> {
                    bus = client.rawFrameHandler(this::received).closeHandler(x -> closed());
                    step = "awaiting_welcome";
                    return bus.register(user.room.address, null, null)
                        .recover(err -> Future.failedFuture("register_not_sent"));
                  })
              .compose(x -> welcome.future())
              .onComplete(
                  ar -> {
                    run.vertx.cancelTimer(timer);
                    step = ar.succeeded() ? "live" : "failed";
                    if (ar.succeeded() && !done.future().isComplete()) {
                      connectMicros = (System.nanoTime() - start) / 1000;
                      live = true;
                      user.room.live.incrementAndGet();
                      done.complete();
                    } else {
                      closing = true;
                      if (bus != null) bus.close();
                      done.tryFail(
                          ar.failed() ? ar.cause() : new IllegalStateException("connect_timeout"));
                    }
                  });
        });
    return done.future();
  }

  @Override
  public boolean post(long now) {
    if (!live || !bus.isOpen() || bus.writeQueueFull()) return false;
    StringBuilder frame =
        new StringBuilder(framePrefix.length() + run.options.messageSize() + 48)
            .append(framePrefix);
    ChatLine.append(frame, now, run.runId, run.options.messageSize()).append("\"}}");
    bus.write(frame.toString());
    return true;
  }

  @Override
  public void ping() {
    if (live && bus.isOpen()) bus.ping();
  }

  @Override
  public boolean live() {
    return live;
  }

  @Override
  public String step() {
    return step;
  }

  @Override
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          closing = true;
          if (bus == null) done.complete();
          else bus.close().onComplete(ar -> done.complete());
        });
    return done.future();
  }

  private void closed() {
    if (live) {
      live = false;
      user.room.live.decrementAndGet();
    }
    if (!closing) run.error("socket_closed_by_server");
  }

  private void received(Buffer frame) {
    long now = System.nanoTime();
    long sentAt = ChatLine.sentAt(frame, run.runId);
    if (sentAt != ChatLine.NOT_CHAT) {
      if (sentAt >= 0) run.delivered(sentAt, now);
      return;
    }
    if (!live && welcome != null && ChatLine.indexOf(frame, WELCOME_MARK, 0) >= 0) {
      welcome.tryComplete();
      return;
    }
    if (ChatLine.startsWith(frame, ERR_MARK)) {
      String type;
      try {
        JsonObject err = new JsonObject(frame);
        type = String.valueOf(err.getValue("failureType"));
        if (!live && welcome != null && user.room.address.equals(err.getString("address")))
          welcome.tryFail("register_" + type);
      } catch (RuntimeException e) {
        type = "unparsable";
      }
      run.error("err_" + type);
    }
  }
}
