package roombus.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.model.ChatMessage;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;
import roombus.store.AppendQueue.Append;

@DisplayName("The append queue's batching")
class AppendQueueTest {

  private static final long MS = 1_000_000;

  /** A writer that holds each batch until the test says it is stored. */
  private final List<List<Append>> batches = new ArrayList<>();

  private final List<Promise<Void>> writes = new ArrayList<>();
  private final List<Runnable> timers = new ArrayList<>();
  private long now = 1_000 * MS;

  private AppendQueue queue(AppendQueue.Limits limits) {
    return new AppendQueue(
        batch -> {
          batches.add(List.copyOf(batch));
          Promise<Void> write = Promise.promise();
          writes.add(write);
          return write.future();
        },
        (ms, task) -> timers.add(task),
        () -> now,
        limits);
  }

  private AppendQueue queue() {
    return queue(new AppendQueue.Limits(100, 3, 5_000 * MS, 1, 5 * MS));
  }

  /** Stores the pending batch: every append in it gets a number, in order. */
  private void storeBatch(int index) {
    long seq = 1;
    for (Append a : batches.get(index)) a.promise.complete(a.message.withSeq(seq++));
    writes.get(index).complete();
  }

  private static ChatMessage chat(String text) {
    return new ChatMessage(
        ChatMessage.newId(), 0, "r", ChatMessage.CHAT, "u", "#000000", text, null, "t");
  }

  private static List<String> texts(List<Append> batch) {
    return batch.stream().map(a -> a.message.chat()).toList();
  }

  @Test
  @DisplayName("after a quiet spell a message is stored at once, in a batch of its own")
  void quietMessageAtOnce() {
    AppendQueue queue = queue();
    Future<ChatMessage> stored = queue.add(chat("a"));
    assertThat(batches).hasSize(1);
    assertThat(texts(batches.get(0))).containsExactly("a");
    assertThat(timers).isEmpty();
    storeBatch(0);
    assertThat(stored.result().seq()).isEqualTo(1);
  }

  @Test
  @DisplayName("messages arriving while a batch is stored go together, in order, into the next one")
  void nextBatchTakesTheWaiting() {
    AppendQueue queue = queue();
    queue.add(chat("a"));
    queue.add(chat("b"));
    queue.add(chat("c"));
    assertThat(batches).hasSize(1);
    storeBatch(0);
    assertThat(batches).hasSize(2);
    assertThat(texts(batches.get(1))).containsExactly("b", "c");
  }

  @Test
  @DisplayName("a batch carries at most the batch limit; the rest follow in the next")
  void batchLimit() {
    AppendQueue queue = queue();
    queue.add(chat("first"));
    for (String t : List.of("1", "2", "3", "4", "5")) queue.add(chat(t));
    storeBatch(0);
    assertThat(texts(batches.get(1))).containsExactly("1", "2", "3");
    storeBatch(1);
    assertThat(texts(batches.get(2))).containsExactly("4", "5");
  }

  @Test
  @DisplayName(
      "a message right after a batch lingers a moment so that its batch carries others too")
  void linger() {
    AppendQueue queue = queue();
    queue.add(chat("a"));
    storeBatch(0);
    now += MS; // 1 ms after the batch: messages are streaming in
    queue.add(chat("b"));
    queue.add(chat("c"));
    assertThat(batches).hasSize(1);
    assertThat(timers).hasSize(1);
    timers.get(0).run();
    assertThat(texts(batches.get(1))).containsExactly("b", "c");
  }

  @Test
  @DisplayName("a full queue refuses at once (busy), and stores nothing of what it refused")
  void fullQueueRefuses() {
    AppendQueue queue = queue(new AppendQueue.Limits(2, 10, 5_000 * MS, 1, 5 * MS));
    queue.add(chat("stored")); // taken into the first batch at once
    queue.add(chat("waits-1"));
    queue.add(chat("waits-2"));
    Future<ChatMessage> refused = queue.add(chat("refused"));
    assertThat(refused.failed()).isTrue();
    assertThat(((Refusal) refused.cause()).reason()).isEqualTo(Reason.BUSY);
    storeBatch(0);
    assertThat(texts(batches.get(1))).containsExactly("waits-1", "waits-2");
  }

  @Test
  @DisplayName("a message that waited past the limit is refused, never stored late")
  void staleMessageRefused() {
    AppendQueue queue = queue();
    queue.add(chat("slow batch"));
    Future<ChatMessage> stale = queue.add(chat("stale"));
    now += 6_000 * MS;
    Future<ChatMessage> fresh = queue.add(chat("fresh"));
    storeBatch(0);
    assertThat(((Refusal) stale.cause()).reason()).isEqualTo(Reason.BUSY);
    assertThat(texts(batches.get(1))).containsExactly("fresh");
    storeBatch(1);
    assertThat(fresh.result().chat()).isEqualTo("fresh");
  }

  @Test
  @DisplayName("appends put back after a refused number go first in the next batch, in their order")
  void retryFirst() {
    AppendQueue queue = queue();
    queue.add(chat("a"));
    queue.add(chat("c"));
    List<Append> first = batches.get(0);
    queue.retry(first); // as if "a"'s number was taken by another node
    writes.get(0).complete();
    assertThat(texts(batches.get(1))).containsExactly("a", "c");
  }

  @Test
  @DisplayName("a failed write fails every message of its batch, and the queue goes on")
  void failedWrite() {
    AppendQueue queue = queue();
    Future<ChatMessage> lost = queue.add(chat("a"));
    queue.add(chat("b"));
    writes.get(0).fail(new IllegalStateException("store down"));
    assertThat(lost.cause()).hasMessage("store down");
    assertThat(texts(batches.get(1))).containsExactly("b");
  }
}
