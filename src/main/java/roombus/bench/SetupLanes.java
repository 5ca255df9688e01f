package roombus.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The set-up's lanes: runs a task on every item with at most {@code concurrency} in flight, the
 * lanes spread over the generator's event loops. It never fails: a task that fails is the task's
 * business, and one still running after {@link #PATIENCE_MS} is given up, counted as {@code
 * setup_timeout_<step>} (the step it was at), and its lane moves on.
 */
final class SetupLanes {

  static final long PATIENCE_MS = 90_000;

  private final Vertx vertx;
  private final List<Context> loops;
  private final int concurrency;
  private final Consumer<String> timedOut;

  SetupLanes(Vertx vertx, List<Context> loops, int concurrency, Consumer<String> timedOut) {
    this.vertx = vertx;
    this.loops = loops;
    this.concurrency = concurrency;
    this.timedOut = timedOut;
  }

  <T> Future<Void> run(List<T> items, Function<T, Future<?>> task, Function<T, String> stepOf) {
    int n = items.size();
    if (n == 0) return Future.succeededFuture();
    Promise<Void> all = Promise.promise();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Runnable[] lane = new Runnable[1];
    lane[0] =
        () -> {
          int i = next.getAndIncrement();
          if (i >= n) return;
          T item = items.get(i);
          Future<?> f;
          try {
            f = task.apply(item);
          } catch (RuntimeException e) {
            f = Future.failedFuture(e);
          }
          Promise<Void> finished = Promise.promise();
          long guard =
              vertx.setTimer(
                  PATIENCE_MS,
                  id -> {
                    if (finished.tryComplete()) timedOut.accept(stepOf.apply(item));
                  });
          f.onComplete(
              ar -> {
                vertx.cancelTimer(guard);
                finished.tryComplete();
              });
          finished
              .future()
              .onComplete(
                  ar -> {
                    if (done.incrementAndGet() == n) all.complete();
                    else lane[0].run();
                  });
        };
    // the lanes start on the generator's event loops, where Vert.x clients are meant to be used.
    // Started from the main thread, a few first requests of a run in the test suite (one run in
    // three) never completed, their 30 s timeouts never firing, with every event loop idle.
    for (int c = 0; c < Math.min(concurrency, n); c++)
      loops.get(c % loops.size()).runOnContext(v -> lane[0].run());
    return all.future();
  }
}
