package roombus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.store.StoreNode.await;

import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.model.Participant;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;
import roombus.model.Room;
import roombus.model.Seat;

/**
 * A socket joining a room, as the store sees it ({@code presence().admit}): the seat its user took
 * on entering over HTTP is confirmed and the user marked present, a user without a seat takes one
 * if the room has room, and a removed user is refused. Whether the user was present before decides
 * whether their arrival is announced.
 */
@DisplayName("Joining a room in the store")
class JoiningTest {

  private static final String NODE = "node-1";
  private static final long HOUR = 3_600_000;

  private StoreNode node;
  private Stores store;

  @BeforeEach
  void start() throws Exception {
    node = new StoreNode(NODE);
    store = node.stores();
    Room room = Room.create("r1", "Joining", 2, "u-owner", "#000000", null, "2026-12-02T00:00:00Z");
    await(store.rooms().create(room, System.currentTimeMillis() + HOUR));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  @DisplayName("a user who entered over HTTP joins on the seat they hold: present, announced once")
  void joinOnTheHeldSeat() {
    Seat entered = await(store.rooms().reserve("r1", "u-ann", System.currentTimeMillis() + HOUR));
    assertThat(entered.newlySeated()).isTrue();

    Seat joined = await(store.presence().admit("r1", "u-ann", "#111111", NODE));
    assertThat(joined).isEqualTo(new Seat(false, true, 1));
    assertThat(await(store.presence().participants("r1")))
        .containsExactly(new Participant("u-ann", "#111111"));

    // a second tab: the same seat, not a new arrival
    Seat secondTab = await(store.presence().admit("r1", "u-ann", "#111111", "node-2"));
    assertThat(secondTab).isEqualTo(new Seat(false, false, 1));
    assertThat(await(store.rooms().get("r1")).count()).isEqualTo(1);
  }

  @Test
  @DisplayName("a user without a seat takes one while the room has room, then it is full")
  void joinWithoutASeat() {
    Seat bob = await(store.presence().admit("r1", "u-bob", "#222222", NODE));
    assertThat(bob).isEqualTo(new Seat(true, true, 1));
    Seat cat = await(store.presence().admit("r1", "u-cat", "#333333", NODE));
    assertThat(cat).isEqualTo(new Seat(true, true, 2));

    assertThat(refusal(store.presence().admit("r1", "u-dan", "#444444", NODE)))
        .isEqualTo(Reason.ROOM_FULL);
    assertThat(await(store.presence().participants("r1")))
        .extracting(Participant::user)
        .containsExactlyInAnyOrder("u-bob", "u-cat");
  }

  @Test
  @DisplayName("a user the owner removed is refused, seat or no seat")
  void removedUserIsRefused() {
    await(store.rooms().reserve("r1", "u-eve", System.currentTimeMillis() + HOUR));
    await(store.rooms().ban("r1", "u-owner", "u-eve"));

    assertThat(refusal(store.presence().admit("r1", "u-eve", "#555555", NODE)))
        .isEqualTo(Reason.REMOVED);
    assertThat(await(store.presence().participants("r1"))).isEmpty();
  }

  @Test
  @DisplayName("joining a room that does not exist is refused as such")
  void noSuchRoom() {
    assertThat(refusal(store.presence().admit("r-none", "u-fay", "#666666", NODE)))
        .isEqualTo(Reason.NO_SUCH_ROOM);
  }

  private static Reason refusal(Future<?> future) {
    Throwable cause = await(future.transform(ar -> Future.succeededFuture(ar.cause())));
    assertThat(cause).isInstanceOf(Refusal.class);
    return ((Refusal) cause).reason();
  }
}
