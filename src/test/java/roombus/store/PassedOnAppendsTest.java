package roombus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.store.StoreNode.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.Addresses;
import roombus.model.ChatMessage;
import roombus.model.Refusal.Reason;
import roombus.model.Room;

/**
 * The numbering node's side of an append another node passes on (over the clustered event bus in a
 * cluster; here the request is made as that node makes it).
 */
@DisplayName("Appends passed on to the node that numbers their room")
class PassedOnAppendsTest {

  private static final String NODE = "node-1";
  private static final String ROOM = "passed-on";

  private StoreNode node;
  private Vertx vertx;
  private Stores stores;

  @BeforeEach
  void start() throws Exception {
    node = new StoreNode(NODE);
    vertx = node.vertx();
    stores = node.stores();
    await(
        stores
            .rooms()
            .create(
                Room.create(ROOM, "Relay", 10, "u-owner", "#000000", null, "2026-12-01T00:00:00Z"),
                Long.MAX_VALUE));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private Future<Message<JsonObject>> passOn(String text, Long deadline) {
    ChatMessage message =
        new ChatMessage(
            ChatMessage.newId(),
            0,
            ROOM,
            ChatMessage.CHAT,
            "u-a",
            "#123456",
            text,
            null,
            "2026-12-01T00:00:00Z");
    DeliveryOptions options = new DeliveryOptions();
    if (deadline != null) options.addHeader(NumberedAppends.DEADLINE, deadline.toString());
    return vertx.eventBus().request(Addresses.numbering(NODE), message.toJson(), options);
  }

  @Test
  @DisplayName(
      "one that arrives after its sender stopped waiting is refused as busy and not stored; one in"
          + " time, or from a node that sends no deadline, is stored and numbered")
  void lateOnesRefused() {
    Throwable late =
        await(
            passOn("too late", System.currentTimeMillis() - 1)
                .transform(ar -> Future.succeededFuture(ar.cause())));
    assertThat(late).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) late).failureCode())
        .as("the failure code that says busy across nodes")
        .isEqualTo(1000 + Reason.BUSY.ordinal());

    JsonObject inTime = await(passOn("in time", System.currentTimeMillis() + 10_000)).body();
    JsonObject noDeadline = await(passOn("no deadline", null)).body();
    assertThat(ChatMessage.fromJson(inTime).seq()).isEqualTo(1);
    assertThat(ChatMessage.fromJson(noDeadline).seq()).isEqualTo(2);
    assertThat(await(stores.chats().page(ROOM, null, null, 10)))
        .extracting(ChatMessage::chat)
        .containsExactlyInAnyOrder("in time", "no deadline");
  }
}
