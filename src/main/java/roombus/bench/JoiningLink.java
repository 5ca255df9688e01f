package roombus.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * What every {@link BenchLink} does alike, whatever server it talks to. Connecting runs on the
 * link's event loop: the link opens its socket and asks to join the room ({@link #open}), and is in
 * the room at the server's word ({@link #joined}, completed by the link). Whatever hangs (the
 * handshake, the join), the link gives up after {@link #JOIN_TIMEOUT_MS}, closes its socket and
 * counts as failed. A link counts as live in its room from the join until its socket closes; a
 * close the run did not ask for is one of the run's errors.
 */
abstract class JoiningLink implements BenchLink {

  private static final long JOIN_TIMEOUT_MS = 30_000;

  final BenchRun run;
  final BenchUser user;
  private final Context context;

  /** Completed by the link at the server's word that the socket is in the room; failed if not. */
  Promise<Void> joined;

  private boolean live;
  private volatile String step = "queued";
  private volatile boolean closing;
  private volatile long connectMicros;

  JoiningLink(BenchRun run, BenchUser user, Context context) {
    this.run = run;
    this.user = user;
    this.context = context;
  }

  /** Opens the socket and asks to join the room; called on the link's event loop. */
  abstract Future<Void> open();

  /** Closes the socket if there is one; called on the link's event loop. */
  abstract Future<Void> closeSocket();

  @Override
  public final BenchUser user() {
    return user;
  }

  @Override
  public final boolean live() {
    return live;
  }

  @Override
  public final String step() {
    return step;
  }

  /** Names the step of joining under way (the link's own, between connecting and live). */
  final void step(String step) {
    this.step = step;
  }

  @Override
  public final long connectMicros() {
    return connectMicros;
  }

  /** Connects and joins; any thread. Completes once the socket is in its room. */
  @Override
  public final Future<Void> connect() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          long start = System.nanoTime();
          joined = Promise.promise();
          step = "connecting";
          long timer =
              run.vertx.setTimer(
                  JOIN_TIMEOUT_MS,
                  id -> {
                    joined.tryFail("join_timeout");
                    done.tryFail("connect_timeout");
                  });
          open()
              .compose(x -> joined.future())
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
                      closeSocket();
                      done.tryFail(
                          ar.failed() ? ar.cause() : new IllegalStateException("connect_timeout"));
                    }
                  });
        });
    return done.future();
  }

  @Override
  public final Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          closing = true;
          closeSocket().onComplete(ar -> done.complete());
        });
    return done.future();
  }

  /** The socket closed, asked to or not. */
  final void closed() {
    if (live) {
      live = false;
      user.room.live.decrementAndGet();
    }
    if (!closing) run.error("socket_closed_by_server");
  }
}
