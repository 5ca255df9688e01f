package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.Reply;
import roombus.TestHub.User;

/**
 * Two users chatting in a room of their own, one message after the other, on a thread of its own,
 * while a test does something nasty to the hub next to them. {@link #finish} makes sure they said
 * at least a few things, then checks that every post was acknowledged and that every acknowledged
 * message is in the room's history; and, when Bob listens on a websocket ({@link #start(TestHub,
 * Vertx)}), that every one reached him live. His socket pings between posts, as the browser client
 * does.
 */
final class Conversation implements AutoCloseable {

  private static final int AT_LEAST = 20;

  private final User alice;
  private final User bob;
  private final String roomId;
  private final List<String> acknowledged = new ArrayList<>();
  private final List<String> refused = new ArrayList<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Thread talking;

  /** Bob's websocket in the room, or null. */
  private BridgeSocket listening;

  private Conversation(TestHub hub) {
    this.alice = hub.newUser();
    this.bob = hub.newUser();
    this.roomId = alice.createRoom("Undisturbed").getString("id");
    if (bob.enter(roomId).status() != 200) throw new IllegalStateException("bob could not enter");
    this.talking = new Thread(this::talk, "conversation");
  }

  /** Alice and Bob start chatting. */
  static Conversation start(TestHub hub) {
    Conversation conversation = new Conversation(hub);
    conversation.talking.start();
    return conversation;
  }

  /** Alice and Bob start chatting, Bob also listening on a websocket. */
  static Conversation start(TestHub hub, Vertx vertx) {
    Conversation conversation = new Conversation(hub);
    conversation.listening = conversation.bob.connect(vertx);
    conversation.listening.enterRoom(conversation.roomId);
    conversation.talking.start();
    return conversation;
  }

  String roomId() {
    return roomId;
  }

  private void talk() {
    int said = 0;
    while (!stopping.get() || said < AT_LEAST) {
      if (listening != null) listening.send(new JsonObject().put("type", "ping"));
      User who = said % 2 == 0 ? alice : bob;
      String text = (who == alice ? "alice " : "bob ") + said++;
      try {
        Reply reply = who.say(roomId, text);
        synchronized (this) {
          if (reply.status() == 201) acknowledged.add(reply.json().getString("id"));
          else refused.add(text + ": " + reply);
        }
      } catch (RuntimeException e) {
        synchronized (this) {
          refused.add(text + ": " + e);
        }
      }
    }
  }

  /**
   * They finish their conversation: every post was acknowledged, and every acknowledged one is
   * stored.
   */
  void finish() {
    stopping.set(true);
    try {
      talking.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    assertThat(talking.isAlive()).as("the conversation ended").isFalse();
    List<String> stored = storedIds();
    synchronized (this) {
      assertThat(refused).as("posts the hub did not acknowledge").isEmpty();
      assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(AT_LEAST);
      assertThat(stored).as("the room's history").containsAll(acknowledged);
    }
    if (listening != null) {
      List<String> expected = List.copyOf(acknowledged);
      TestHub.eventually(
          () ->
              assertThat(
                      listening.messages("chat.room." + roomId).stream()
                          .map(m -> m.getString("id")))
                  .as("messages bob's websocket received")
                  .containsAll(expected));
    }
  }

  /** The ids of every message in the room's history, read page by page. */
  private List<String> storedIds() {
    List<String> ids = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonArray page =
          alice.get("/api/rooms/" + roomId + "/chats?after=" + after + "&limit=1000").array();
      for (Object message : page) {
        ids.add(((JsonObject) message).getString("id"));
        after = Math.max(after, ((JsonObject) message).getLong("seq"));
      }
      if (page.size() < 1000) return ids;
    }
  }

  @Override
  public void close() {
    stopping.set(true);
    if (listening != null && !listening.isClosed()) listening.close();
  }
}
