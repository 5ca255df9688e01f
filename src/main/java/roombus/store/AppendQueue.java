package roombus.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import roombus.model.ChatMessage;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;

/**
 * The append path's batching. While one batch is being stored, new messages queue up, and the next
 * batch takes them all (at most {@code maxBatch}), in arrival order: one insert command and one
 * commit for many messages. A message that arrives within {@code busyGap} of the previous batch's
 * end waits {@code linger} more so that its batch carries the others arriving meanwhile; after a
 * quiet spell a message is stored at once.
 *
 * <p>The queue is bounded: past {@code maxQueued} waiting messages, an append is refused ({@code
 * BUSY}) rather than queued without limit; one that waited longer than {@code maxWait} is refused,
 * never stored late (its sender has been told it failed by then).
 *
 * <p>Confined to one event loop (the store verticle's).
 */
final class AppendQueue {

  /** Stores a batch: completes or fails each append's promise, or {@link #retry}s it. */
  interface Writer {
    Future<Void> write(List<Append> batch);
  }

  /** Schedules a task after a delay (the verticle's timer). */
  interface Timer {
    void after(long millis, Runnable task);
  }

  /** One message waiting to be stored, and whom to tell. */
  static final class Append {
    final ChatMessage message;
    final Promise<ChatMessage> promise = Promise.promise();
    final long queuedAt;

    Append(ChatMessage message, long queuedAt) {
      this.message = message;
      this.queuedAt = queuedAt;
    }
  }

  /**
   * The default linger is 3 ms: at 1,000 messages/s nearly half the insert commands of 1 ms, each
   * with a fixed cost of about 0.2 ms of the node's CPU, for about 1.5 ms more median latency
   * (docs/performance.md, "The store's linger, again").
   */
  record Limits(
      int maxQueued, int maxBatch, long maxWaitNanos, long lingerMillis, long busyGapNanos) {
    static final Limits DEFAULT = new Limits(5_000, 1000, 2_000_000_000L, 3, 5_000_000);
  }

  private final Writer writer;
  private final Timer timer;
  private final LongSupplier nanoTime;
  private final Limits limits;
  private final ArrayDeque<Append> queue = new ArrayDeque<>();
  private boolean writing;
  private long lastBatchDone;

  AppendQueue(Writer writer, Timer timer, LongSupplier nanoTime, Limits limits) {
    this.writer = writer;
    this.timer = timer;
    this.nanoTime = nanoTime;
    this.limits = limits;
    this.lastBatchDone = nanoTime.getAsLong() - limits.busyGapNanos();
  }

  Future<ChatMessage> add(ChatMessage message) {
    if (queue.size() >= limits.maxQueued()) return Future.failedFuture(new Refusal(Reason.BUSY));
    Append append = new Append(message, nanoTime.getAsLong());
    queue.add(append);
    if (!writing) {
      writing = true;
      if (nanoTime.getAsLong() - lastBatchDone < limits.busyGapNanos()) {
        timer.after(limits.lingerMillis(), this::nextBatch);
      } else {
        nextBatch();
      }
    }
    return append.promise.future();
  }

  /**
   * Puts appends back at the front of the queue, in their order: they are stored in the next batch.
   */
  void retry(List<Append> appends) {
    for (int i = appends.size() - 1; i >= 0; i--) queue.addFirst(appends.get(i));
  }

  int waiting() {
    return queue.size();
  }

  /** Nothing waiting and no batch being stored. */
  boolean idle() {
    return queue.isEmpty() && !writing;
  }

  private void nextBatch() {
    List<Append> batch = new ArrayList<>(Math.min(queue.size(), limits.maxBatch()));
    long stale = nanoTime.getAsLong() - limits.maxWaitNanos();
    while (!queue.isEmpty() && batch.size() < limits.maxBatch()) {
      Append next = queue.poll();
      if (next.queuedAt - stale < 0) next.promise.tryFail(new Refusal(Reason.BUSY));
      else batch.add(next);
    }
    if (batch.isEmpty()) {
      writing = false;
      return;
    }
    Future<Void> written;
    try {
      written = writer.write(batch);
    } catch (RuntimeException e) {
      written = Future.failedFuture(e);
    }
    written.onComplete(
        done -> {
          if (done.failed()) batch.forEach(a -> a.promise.tryFail(done.cause()));
          lastBatchDone = nanoTime.getAsLong();
          nextBatch();
        });
  }
}
