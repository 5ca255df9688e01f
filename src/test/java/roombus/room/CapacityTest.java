package roombus.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.Reply;
import roombus.TestHub.User;

/**
 * Capacity counts users, not tabs. Entering over HTTP takes a seat and holds it until the user's
 * first connection registers on the room (here for one second, SEAT_HOLD_MS=1000); a seat nobody
 * comes to use is given back. Registering on the room checks the seat again, so a client cannot
 * skip the check.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("A room admits at most max users, counted per user and checked again on the bridge")
class CapacityTest {

  @StartHub(settings = "SEAT_HOLD_MS=1000")
  private static TestHub hub;

  @Test
  @DisplayName("a full room answers 409 to a third user and admits nobody")
  void fullRoom(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    User carol = hub.newUser();
    String id = alice.createRoom("Pair", 2, null).getString("id");
    assertThat(alice.enter(id).status()).isEqualTo(200);
    alice.connect(vertx).enterRoom(id);
    assertThat(bob.enter(id).status()).isEqualTo(200);
    JsonObject bobWelcome = bob.connect(vertx).enterRoom(id);
    assertThat(bobWelcome.getInteger("count")).isEqualTo(2);

    Reply third = carol.enter(id);

    assertThat(third.status()).isEqualTo(409);
    assertThat(third.json().getString("error")).isNotBlank();
    assertThat(carol.get("/api/rooms/" + id + "/chats").status()).isEqualTo(403);
    BridgeSocket carolSocket = carol.connect(vertx);
    carolSocket.register("chat.room." + id);
    assertThat(carolSocket.awaitError("chat.room." + id).getString("body"))
        .isEqualTo("access_denied");
  }

  @Test
  @DisplayName(
      "entering takes a seat: two users who entered fill a room of two before either connects")
  void enteringTakesASeat() {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Seats", 2, null).getString("id");

    assertThat(alice.enter(id).status()).isEqualTo(200);
    assertThat(bob.enter(id).status()).isEqualTo(200);

    assertThat(hub.newUser().enter(id).status()).isEqualTo(409);
    assertThat(alice.enter(id).status()).as("entering again keeps one's own seat").isEqualTo(200);
  }

  @Test
  @DisplayName(
      "a seat nobody comes to use is given back; its user is then refused on the bridge (room_full) once others filled the room")
  void unusedSeatGivenBack(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    User carol = hub.newUser();
    String id = alice.createRoom("Pair again", 2, null).getString("id");
    alice.connect(vertx).enterRoom(id);
    assertThat(carol.enter(id).status())
        .isEqualTo(200); // Carol takes the second seat but does not connect

    // once Carol's hold runs out the room counts Alice alone (asked of the room, not by entering
    // again and again: entering is rate-limited, ENTERS_PER_MINUTE)
    TestHub.eventually(
        () ->
            assertThat(hub.newUser().get("/api/rooms/" + id).json().getInteger("count"))
                .isEqualTo(1));
    assertThat(bob.enter(id).status()).isEqualTo(200);
    bob.connect(vertx).enterRoom(id);
    BridgeSocket carolSocket = carol.connect(vertx);
    carolSocket.register("chat.room." + id);

    JsonObject refusal = carolSocket.awaitError("chat.room." + id);
    assertThat(refusal.getString("body")).isEqualTo("room_full");
    assertThat(carolSocket.messages("chat.room." + id))
        .noneMatch(m -> "welcome".equals(m.getString("type")));
    assertThat(hub.newUser().get("/api/rooms/" + id).json().getInteger("count")).isEqualTo(2);
  }

  @Test
  @DisplayName("two tabs of one user take one place: a second user still gets in")
  void tabsCountOnce(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String id = alice.createRoom("Two tabs", 2, null).getString("id");
    alice.connect(vertx).enterRoom(id);
    JsonObject secondTab = alice.connect(vertx).enterRoom(id);

    assertThat(secondTab.getInteger("count")).isEqualTo(1);
    assertThat(bob.enter(id).status()).isEqualTo(200);
    assertThat(bob.connect(vertx).enterRoom(id).getInteger("count")).isEqualTo(2);
  }

  @Test
  @DisplayName("a place is freed when its user leaves: then a third user gets in")
  void placeFreed(Vertx vertx) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    User carol = hub.newUser();
    String id = alice.createRoom("Revolving door", 2, null).getString("id");
    alice.connect(vertx).enterRoom(id);
    bob.enter(id);
    BridgeSocket bobSocket = bob.connect(vertx);
    bobSocket.enterRoom(id);
    assertThat(carol.enter(id).status()).isEqualTo(409);

    bobSocket.close();

    // watched on the room itself: trying to enter over and over would meet the limit on entering
    TestHub.eventually(
        () -> assertThat(carol.get("/api/rooms/" + id).json().getInteger("count")).isEqualTo(1));
    assertThat(carol.enter(id).status()).isEqualTo(200);
    assertThat(carol.connect(vertx).enterRoom(id).getInteger("count")).isEqualTo(2);
  }
}
