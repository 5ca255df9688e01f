package roombus.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;

/**
 * A stored message whose live copy never reaches a node (the node that stored it learnt of this
 * node's subscription too late, or died right after storing it) still reaches that node's sockets:
 * the gap in the seqs is filled from the store. The test loses the copy on purpose, with an
 * event-bus interceptor on the hub's Vert.x.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("A message whose live copy is lost on its way to the node still reaches its sockets")
class LostPublicationTest {

  @StartHub private TestHub hub;

  @Test
  @DisplayName(
      "the gap it leaves is filled from the store a moment later, once, and the room goes on")
  void lostLiveCopyIsReadFromTheStore(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Lossy").getString("id");
    String room = "chat.room." + id;
    assertThat(bob.enter(id).status()).isEqualTo(200);
    BridgeSocket socket = bob.connect(vertx);
    socket.enterRoom(id);
    loseOnTheWay(room, "lost on the way");

    alice.say(id, "before");
    alice.say(id, "lost on the way");
    alice.say(id, "after");
    socket.awaitMessage(room, m -> "lost on the way".equals(m.getString("chat")));
    alice.say(id, "later");
    socket.awaitMessage(room, m -> "later".equals(m.getString("chat")));

    assertThat(chats(socket, room)).containsExactly("before", "after", "lost on the way", "later");
    List<Long> seqs =
        socket.messages(room).stream()
            .filter(m -> "chat".equals(m.getString("type")))
            .map(m -> m.getLong("seq"))
            .toList();
    assertThat(seqs).doesNotHaveDuplicates();
    socket.close();
  }

  @Test
  @DisplayName(
      "after a catch-up too: a socket that registered with the last seq it had misses nothing")
  void lostAfterCatchUp(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Lossy again").getString("id");
    String room = "chat.room." + id;
    assertThat(bob.enter(id).status()).isEqualTo(200);
    long since = alice.say(id, "seen before").json().getLong("seq");
    alice.say(id, "missed while away");
    BridgeSocket socket = bob.connect(vertx);
    loseOnTheWay(room, "lost twice");
    socket.register(room, since);
    socket.awaitMessage(room, m -> "missed while away".equals(m.getString("chat")));

    alice.say(id, "lost twice");
    alice.say(id, "lost twice"); // the same words, another message: both are missed live
    alice.say(id, "last");
    socket.awaitMessage(room, m -> "last".equals(m.getString("chat")));
    TestHub.eventually(
        () ->
            assertThat(chats(socket, room))
                .containsExactly("missed while away", "last", "lost twice", "lost twice"));
    socket.close();
  }

  /** From now on, live copies of messages with this text never reach the hub's sockets. */
  private void loseOnTheWay(String room, String text) {
    hub.vertx()
        .eventBus()
        .addInboundInterceptor(
            delivery -> {
              boolean lost =
                  delivery.message().address().equals(room)
                      && delivery.body() instanceof String body
                      && text.equals(new JsonObject(body).getString("chat"));
              if (!lost) delivery.next();
            });
  }

  private static List<String> chats(BridgeSocket socket, String room) {
    return socket.messages(room).stream()
        .filter(m -> "chat".equals(m.getString("type")))
        .map(m -> m.getString("chat"))
        .toList();
  }
}
