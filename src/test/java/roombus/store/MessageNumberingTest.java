package roombus.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.TestHub;
import roombus.embedded.EmbeddedMongo;
import roombus.model.ChatMessage;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;
import roombus.model.Room;

/**
 * Two hub nodes number the messages of the same room, each in its own memory, on one store: the
 * store's unique {@code (room, seq)} index must make them settle on 1, 2, 3, … with no number given
 * twice, none skipped and no message lost, and a node that starts later must continue after the
 * messages already stored.
 */
@DisplayName("Message numbers with two nodes writing to one room")
class MessageNumberingTest {

  private final Path data = TestHub.newDataDir();
  private EmbeddedMongo embedded;
  private final List<Vertx> nodes = new ArrayList<>();

  @BeforeEach
  void startStore() throws Exception {
    embedded = EmbeddedMongo.start(data, "127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    for (Vertx node : nodes) await(node.close());
    embedded.close();
    TestHub.deleteTree(data);
  }

  /**
   * A node with its own store verticle, numbering every room itself; called as the hub's verticles
   * call it.
   */
  private Stores node() {
    Vertx vertx = Vertx.vertx();
    nodes.add(vertx);
    String nodeId = "node-" + nodes.size();
    await(
        vertx.deployVerticle(
            new StoreVerticle(embedded.connectionString(), nodeId, () -> List.of(nodeId))));
    return Stores.of(vertx);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Why an append was refused. */
  private static Reason refusal(Future<ChatMessage> append) {
    Throwable cause = await(append.transform(ar -> Future.succeededFuture(ar.cause())));
    assertThat(cause).isInstanceOf(Refusal.class);
    return ((Refusal) cause).reason();
  }

  private static Room room(String id) {
    return Room.create(id, "Race", 10, "u-owner", "#000000", null, "2026-11-25T00:00:00Z");
  }

  private static ChatMessage chat(String room, String user, String text) {
    return new ChatMessage(
        ChatMessage.newId(),
        0,
        room,
        ChatMessage.CHAT,
        user,
        "#123456",
        text,
        null,
        "2026-11-25T00:00:00Z");
  }

  @Test
  @DisplayName(
      "posts racing through two nodes get every number from 1 to N exactly once, and all are in the history")
  void racingNodes() {
    Stores a = node();
    Stores b = node();
    String room = "race-room";
    await(a.rooms().create(room(room), Long.MAX_VALUE));
    int perNode = 150;
    List<Future<ChatMessage>> posts = new ArrayList<>();
    for (int i = 0; i < perNode; i++) {
      posts.add(a.chats().append(chat(room, "u-a", "a" + i)));
      posts.add(b.chats().append(chat(room, "u-b", "b" + i)));
    }
    await(Future.all(posts));

    List<Long> numbers = posts.stream().map(p -> p.result().seq()).sorted().toList();
    assertThat(numbers)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 2L * perNode).boxed().toList());
    List<ChatMessage> history = new ArrayList<>();
    for (long after = 0; after < 2L * perNode; after += 100)
      history.addAll(await(a.chats().page(room, null, after, 100)));
    assertThat(history).extracting(ChatMessage::seq).containsExactlyElementsOf(numbers);
    assertThat(history).extracting(ChatMessage::chat).doesNotHaveDuplicates().hasSize(2 * perNode);
    // each node kept its own posts in the order they were sent
    assertThat(history.stream().filter(m -> "u-a".equals(m.user())).map(ChatMessage::chat).toList())
        .containsExactlyElementsOf(LongStream.range(0, perNode).mapToObj(i -> "a" + i).toList());

    Stores late = node();
    assertThat(await(late.chats().append(chat(room, "u-c", "late"))).seq())
        .isEqualTo(2L * perNode + 1);
    assertThat(await(b.chats().page(room, null, null, 1)))
        .extracting(ChatMessage::chat)
        .containsExactly("late");
  }

  @Test
  @DisplayName(
      "a user removed through one node cannot post there at once; a deleted room refuses posts")
  void removedUserAndDeletedRoom() {
    Stores a = node();
    String room = "ban-room";
    await(a.rooms().create(room(room), Long.MAX_VALUE));
    assertThat(await(a.chats().append(chat(room, "u-x", "hello"))).seq()).isEqualTo(1);
    await(a.rooms().ban(room, "u-owner", "u-x"));
    Stores.announceRemoval(nodes.get(0), room, "u-x");
    assertThat(refusal(a.chats().append(chat(room, "u-x", "still here?"))))
        .isEqualTo(Reason.REMOVED);
    assertThat(await(a.chats().append(chat(room, "u-owner", "bye"))).seq()).isEqualTo(2);

    await(a.rooms().deleteOwned(room, "u-owner").compose(deleted -> a.chats().purge(room)));
    assertThat(refusal(a.chats().append(chat(room, "u-owner", "anyone?"))))
        .isEqualTo(Reason.NO_SUCH_ROOM);
    assertThat(await(a.chats().page(room, null, null, 10))).isEmpty();
  }
}
