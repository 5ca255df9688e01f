package roombus.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.Addresses;
import roombus.bus.LocalServices;
import roombus.identity.Identity;
import roombus.model.ChatMessage;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;
import roombus.model.Whisper;
import roombus.store.ChatLog;

/**
 * Posts against a store that has fallen behind: a chat log (exposed on the node's address as the
 * store verticle exposes it) that holds every append until the test lets it answer, and then
 * answers at once.
 */
@DisplayName("When the store falls behind")
class OverloadedStoreTest {

  private static final Identity ALICE = new Identity("a1a1a1a1a1a1a1a1", "#aa0000");

  private Vertx vertx;
  private final List<Promise<ChatMessage>> held = new CopyOnWriteArrayList<>();
  private final List<ChatMessage> asked = new CopyOnWriteArrayList<>();
  private volatile boolean answering;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    await(LocalServices.expose(vertx, Addresses.STORE_CHATS, ChatLog.class, new SlowChats()));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  @DisplayName(
      "a node with as many posts on their way to the store as it allows refuses the next as busy at"
          + " once, without asking the store; once the store answers, posts are taken again")
  void refusesBeyondItsPostsInFlight() throws Exception {
    ChatService chats = new ChatService(vertx);
    List<Future<ChatMessage>> waiting = new ArrayList<>();
    for (int i = 0; i < PostsInFlight.LIMIT; i++)
      waiting.add(chats.postText("room1", ALICE, "hello " + i, null));
    awaitCount(PostsInFlight.LIMIT);

    Future<ChatMessage> refused = chats.postText("room1", ALICE, "one too many", null);

    assertThat(refused.failed()).as("refused without waiting for the store").isTrue();
    assertThat(refused.cause()).isInstanceOf(Refusal.class);
    assertThat(((Refusal) refused.cause()).reason()).isEqualTo(Reason.BUSY);
    assertThat(asked).hasSize(PostsInFlight.LIMIT);
    assertThat(waiting).noneMatch(Future::isComplete);

    answering = true;
    vertx.runOnContext(v -> held.forEach(p -> p.complete(asked.get(0).withSeq(1))));
    for (Future<ChatMessage> post : waiting) await(post);
    ChatMessage taken = await(chats.postText("room1", ALICE, "room again", null));
    assertThat(taken.chat()).isEqualTo("room again");
  }

  private void awaitCount(int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (asked.size() < n && System.nanoTime() < deadline) Thread.sleep(5);
    assertThat(asked).hasSize(n);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private final class SlowChats implements ChatLog {
    public Future<ChatMessage> append(ChatMessage message) {
      if (answering) return Future.succeededFuture(message.withSeq(asked.size() + 1));
      Promise<ChatMessage> answer = Promise.promise();
      asked.add(message);
      held.add(answer);
      return answer.future();
    }

    public Future<List<ChatMessage>> page(String roomId, Long before, Long after, int limit) {
      return Future.succeededFuture(List.of());
    }

    public Future<Whisper> whisper(Whisper whisper) {
      return Future.failedFuture("unused");
    }

    public Future<Whisper> whisperSent(String roomId, String user, String key) {
      return Future.failedFuture("unused");
    }

    public Future<List<Whisper>> whispers(
        String roomId, String user, long fromAfter, Long toAfter, int limit) {
      return Future.failedFuture("unused");
    }

    public Future<Void> purge(String roomId) {
      return Future.failedFuture("unused");
    }
  }
}
