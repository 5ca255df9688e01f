package roombus.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import roombus.busclient.BusClient;

import java.nio.charset.StandardCharsets;

/**
 * One bridge connection of a simulated user (the raw event-bus websocket, or SockJS xhr-polling),
 * bound to one event loop of the load generator. It registers on its room, waits for the welcome, then
 * reads every frame: a chat line of this run carries its send time ({@code t=<nanoTime> r=<run>}), so
 * the receiver measures send-to-receive latency with the same clock. Frames come unparsed (the
 * client's raw frame handler) and are scanned as bytes; only error frames are parsed as JSON. Whether
 * the hub says {@code rec} or {@code message} does not matter to the scan.
 */
final class BenchSocket {

  private static final byte[] CHAT_MARK = "\"chat\":\"t=".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] WELCOME_MARK = "\"type\":\"welcome\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERR_MARK = "{\"type\":\"err\"".getBytes(StandardCharsets.US_ASCII);

  final BenchUser user;
  final int tab;
  final Context context;
  private final BenchRun run;
  private BusClient bus;
  private Promise<Void> welcome;
  private boolean live;
  private volatile boolean closing;
  /** Microseconds from the websocket connect to the room's welcome. */
  volatile long connectMicros;

  BenchSocket(BenchRun run, BenchUser user, int tab, Context context) {
    this.run = run;
    this.user = user;
    this.tab = tab;
    this.context = context;
  }

  /** Connects with the user's cookie, registers on the room and completes at its welcome. Any thread. */
  Future<Void> connect() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      long start = System.nanoTime();
      welcome = Promise.promise();
      // whatever hangs (the handshake, the register), the socket gives up after 30 s and counts as failed
      long timer = run.vertx.setTimer(30_000, id -> {
        welcome.tryFail("welcome_timeout");
        done.tryFail("connect_timeout");
      });
      user.node.connect(run.vertx, user.api.sid(), run.options.transport().equals(BenchOptions.XHR_POLLING))
          .compose(client -> {
            bus = client.rawFrameHandler(this::received).closeHandler(x -> closed());
            return bus.register(user.room.address, null, null).recover(err -> Future.failedFuture("register_not_sent"));
          })
          .compose(x -> welcome.future())
          .onComplete(ar -> {
            run.vertx.cancelTimer(timer);
            if (ar.succeeded() && !done.future().isComplete()) {
              connectMicros = (System.nanoTime() - start) / 1000;
              live = true;
              user.room.live.incrementAndGet();
              done.complete();
            } else {
              closing = true;
              if (bus != null) bus.close();
              done.tryFail(ar.failed() ? ar.cause() : new IllegalStateException("connect_timeout"));
            }
          });
    });
    return done.future();
  }

  /** Posts one prebuilt send frame; false when the connection's write queue is full (not sent). On its context. */
  boolean send(String frame) {
    if (!live || !bus.isOpen() || bus.writeQueueFull()) return false;
    bus.write(frame);
    return true;
  }

  void ping() {
    if (live && bus.isOpen()) bus.ping();
  }

  boolean live() {
    return live;
  }

  Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
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
    int at = indexOf(frame, CHAT_MARK, 0);
    if (at >= 0) {
      int i = at + CHAT_MARK.length;
      long t = 0;
      byte b;
      while (i < frame.length() && (b = frame.getByte(i)) >= '0' && b <= '9') {
        t = t * 10 + (b - '0');
        i++;
      }
      // then " r=<run>"
      if (i + 3 < frame.length() && frame.getByte(i) == ' ' && frame.getByte(i + 1) == 'r' && frame.getByte(i + 2) == '=') {
        long r = 0;
        i += 3;
        while (i < frame.length() && (b = frame.getByte(i)) >= '0' && b <= '9') {
          r = r * 10 + (b - '0');
          i++;
        }
        if (r == run.runId) run.delivered(t, now);
      }
      return;
    }
    if (!live && welcome != null && indexOf(frame, WELCOME_MARK, 0) >= 0) {
      welcome.tryComplete();
      return;
    }
    if (startsWith(frame, ERR_MARK)) {
      String type;
      try {
        JsonObject err = new JsonObject(frame);
        type = String.valueOf(err.getValue("failureType"));
        if (!live && welcome != null && user.room.address.equals(err.getString("address"))) welcome.tryFail("register_" + type);
      } catch (RuntimeException e) {
        type = "unparsable";
      }
      run.error("err_" + type);
    }
  }

  private static boolean startsWith(Buffer frame, byte[] mark) {
    if (frame.length() < mark.length) return false;
    for (int j = 0; j < mark.length; j++) if (frame.getByte(j) != mark[j]) return false;
    return true;
  }

  static int indexOf(Buffer frame, byte[] mark, int from) {
    int last = frame.length() - mark.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (frame.getByte(i) != mark[0]) continue;
      for (int j = 1; j < mark.length; j++) if (frame.getByte(i + j) != mark[j]) continue outer;
      return i;
    }
    return -1;
  }
}
