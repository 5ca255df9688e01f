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
    Room lossy = openRoom("Lossy");
    User alice = lossy.owner();
    String id = lossy.id();
    String room = lossy.address();
    BridgeSocket socket = lossy.guest().connect(vertx);
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
    Room lossy = openRoom("Lossy again");
    User alice = lossy.owner();
    String id = lossy.id();
    String room = lossy.address();
    long since = alice.say(id, "seen before").json().getLong("seq");
    alice.say(id, "missed while away");
    BridgeSocket socket = lossy.guest().connect(vertx);
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

  @Test
  @DisplayName("a live copy that is only late is written once, whether it beats the store or not")
  void lateLiveCopiesAreWrittenOnce(Vertx vertx) throws InterruptedException {
    Room slowLane = openRoom("Slow lane");
    User alice = slowLane.owner();
    String id = slowLane.id();
    String room = slowLane.address();
    BridgeSocket socket = slowLane.guest().connect(vertx);
    socket.enterRoom(id);
    delayOnTheWay(room, "a little late", 300); // within the hub's patience
    delayOnTheWay(room, "very late", 1_500); // after the store was read for it

    alice.say(id, "first");
    alice.say(id, "a little late");
    alice.say(id, "very late");
    alice.say(id, "on time");
    socket.awaitMessage(room, m -> "a little late".equals(m.getString("chat")));
    socket.awaitMessage(room, m -> "very late".equals(m.getString("chat")));
    Thread.sleep(2_000); // the late copy of "very late" has come by now
    alice.say(id, "after all that");
    socket.awaitMessage(room, m -> "after all that".equals(m.getString("chat")));

    assertThat(chats(socket, room))
        .containsExactlyInAnyOrder(
            "first", "a little late", "very late", "on time", "after all that");
    socket.close();
  }

  /** A room its owner posts in, and a guest who entered it over HTTP (not connected yet). */
  private record Room(User owner, User guest, String id, String address) {}

  private Room openRoom(String title) {
    User owner = hub.newUser();
    User guest = hub.newUser();
    String id = owner.createRoom(title).getString("id");
    assertThat(guest.enter(id).status()).isEqualTo(200);
    return new Room(owner, guest, id, "chat.room." + id);
  }

  /** From now on, live copies of messages with this text never reach the hub's sockets. */
  private void loseOnTheWay(String room, String text) {
    hub.vertx()
        .eventBus()
        .addInboundInterceptor(
            delivery -> {
              if (!carries(delivery.message().address(), delivery.body(), room, text))
                delivery.next();
            });
  }

  /** From now on, live copies of messages with this text reach the hub's sockets late. */
  private void delayOnTheWay(String room, String text, long millis) {
    hub.vertx()
        .eventBus()
        .addInboundInterceptor(
            delivery -> {
              if (carries(delivery.message().address(), delivery.body(), room, text))
                hub.vertx().setTimer(millis, id -> delivery.next());
              else delivery.next();
            });
  }

  private static boolean carries(String address, Object body, String room, String text) {
    return address.equals(room)
        && body instanceof String json
        && text.equals(new JsonObject(json).getString("chat"));
  }

  private static List<String> chats(BridgeSocket socket, String room) {
    return socket.messages(room).stream()
        .filter(m -> "chat".equals(m.getString("type")))
        .map(m -> m.getString("chat"))
        .toList();
  }
}
