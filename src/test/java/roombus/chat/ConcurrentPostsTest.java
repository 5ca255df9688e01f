package roombus.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.TestHub.eventually;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.User;

/**
 * The store takes posts in batches: many posts in flight at once, in several rooms, must still get
 * the numbers 1, 2, 3, … of their room with no gap and no repeat, each sender's posts in the order
 * sent, and each acknowledgement must carry the stored message.
 */
@DisplayName("Posting many messages at once")
class ConcurrentPostsTest {

  /** Every socket fires its 60 posts at once: more frames than a client may send a second. */
  @StartHub(settings = "FRAMES_PER_SECOND=1000")
  private static TestHub hub;

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  @DisplayName(
      "posts sent without waiting, by several users in two rooms, are numbered without gap or repeat, in each sender's order")
  void gapFreeUnderLoad() {
    int perUser = 60;
    List<String> rooms = new ArrayList<>();
    List<User> users = new ArrayList<>();
    List<BridgeSocket> sockets = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      User owner = hub.newUser();
      String room = owner.createRoom("Busy " + r, 10, null).getString("id");
      rooms.add(room);
      for (int u = 0; u < 3; u++) {
        User user = u == 0 ? owner : hub.newUser();
        if (u > 0) user.enter(room);
        users.add(user);
        sockets.add(user.connect(vertx));
      }
    }
    // every socket fires all its posts at once, with a reply address each
    for (int i = 0; i < perUser; i++) {
      for (int s = 0; s < sockets.size(); s++) {
        String room = rooms.get(s / 3);
        sockets
            .get(s)
            .send(
                new JsonObject()
                    .put("type", "send")
                    .put("address", "chat.room." + room)
                    .put("replyAddress", "r" + s + "-" + i)
                    .put("body", new JsonObject().put("chat", "u" + s + " #" + i)));
      }
    }

    for (int s = 0; s < sockets.size(); s++) {
      BridgeSocket socket = sockets.get(s);
      eventually(
          Duration.ofSeconds(30),
          () ->
              assertThat(
                      socket.frames().stream()
                          .filter(
                              f ->
                                  "rec".equals(f.getString("type"))
                                      && f.getString("address", "").startsWith("r"))
                          .count())
                  .isEqualTo(perUser));
      assertThat(socket.frames()).noneMatch(f -> "err".equals(f.getString("type")));
    }
    for (int r = 0; r < rooms.size(); r++) {
      JsonArray history = users.get(r * 3).history(rooms.get(r)).array();
      List<JsonObject> chats =
          history.stream()
              .map(JsonObject.class::cast)
              .filter(m -> "chat".equals(m.getString("type")))
              .toList();
      List<Long> seqs =
          history.stream().map(JsonObject.class::cast).map(m -> m.getLong("seq")).toList();

      assertThat(chats).hasSize(3 * perUser);
      assertThat(seqs).isEqualTo(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
      for (int s = r * 3; s < r * 3 + 3; s++) {
        String prefix = "u" + s + " #";
        List<String> mine =
            chats.stream().map(m -> m.getString("chat")).filter(c -> c.startsWith(prefix)).toList();
        assertThat(mine)
            .containsExactlyElementsOf(
                LongStream.range(0, perUser).mapToObj(i -> prefix + i).toList());
      }
    }
    sockets.forEach(BridgeSocket::close);
  }
}
