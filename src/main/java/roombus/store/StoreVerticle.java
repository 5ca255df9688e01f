package roombus.store;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.chat.ChatMessage;
import roombus.common.ApiError;
import roombus.room.Room;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import static roombus.Addresses.*;

/**
 * Persistence: the only verticle that talks to MongoDB. It answers requests on the {@code store.*}
 * addresses of its own node (local consumers: every node has one, all share the same database), and
 * the appends other nodes pass on for the rooms this node numbers (its one clustered address).
 */
public final class StoreVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(StoreVerticle.class);
  /** Shorter than the 15 s a client waits, so that the client hears why. */
  private static final DeliveryOptions PASS_ON = new DeliveryOptions().setSendTimeout(10_000);

  private final String connectionString;
  private final String nodeId;
  private final Supplier<List<String>> liveNodes;
  private MongoStore store;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  public StoreVerticle(String connectionString, String nodeId, Supplier<List<String>> liveNodes) {
    this.connectionString = connectionString;
    this.nodeId = nodeId;
    this.liveNodes = liveNodes;
  }

  @Override
  public Future<?> start() {
    return MongoStore.open(vertx, connectionString).compose(opened -> {
      store = opened;
      answer(STORE_ROOMS_CREATE, b -> store.createRoom(roomOf(b.getJsonObject("room")), b.getLong("deleteAfter"))
          .map(r -> r.toJson()));
      answer(STORE_ROOMS_GET, b -> store.roomForChecks(b.getString("id")));
      answer(STORE_ROOMS_HANDOVER, b -> store.handOver(b.getString("room"), b.getString("owner"), b.getString("user")).map(Room::toJson));
      answer(STORE_ROOMS_BAN, b -> store.ban(b.getString("room"), b.getString("owner"), b.getString("user"))
          .onSuccess(room -> vertx.eventBus().publish(STORE_ROOMS_REMOVED, new JsonObject().put("room", room.id()).put("user", b.getString("user"))))
          .map(Room::toJson));
      // whichever node numbers the room refuses the removed user's posts at once (else within a second)
      consumers.add(vertx.eventBus().<JsonObject>consumer(STORE_ROOMS_REMOVED,
          msg -> store.removedFromRoom(msg.body().getString("room"), msg.body().getString("user"))));
      answer(STORE_ROOMS_LIST, b -> store.rooms()
          .map(rooms -> new JsonArray(rooms.stream().map(Room::toJson).toList())));
      answer(STORE_ROOMS_DELETE, b -> store.deleteOwnedRoom(b.getString("id"), b.getString("user")).map(Room::toJson));
      answer(STORE_ROOMS_RESERVE, b -> store.reserve(b.getString("room"), b.getString("user"), b.getLong("holdUntil")));
      answer(STORE_SEATS_RELEASE, b -> store.releaseUnusedSeats(b.getLong("now"), b.getLong("deleteAfter"))
          .map(list -> new JsonArray(new ArrayList<Object>(list))));
      answer(STORE_ROOMS_ADMIT, b -> store.admit(b.getString("room"), b.getString("user"), b.getString("color"), b.getString("node")));
      answer(STORE_ROOMS_DEPART, b -> store.depart(b.getString("room"), b.getString("user"), b.getString("node"), b.getLong("deleteAfter")));
      answer(STORE_ROOMS_SWEEP, b -> store.sweepEmptyRooms(b.getLong("now")).map(list -> new JsonArray(new ArrayList<Object>(list))));
      answer(STORE_ROOMS_PARTICIPANTS, b -> store.participants(b.getString("room")));
      answer(STORE_PRESENCE_PURGE, b -> store.presenceOutside(strings(b.getJsonArray("liveNodes")))
          .map(list -> new JsonArray(new ArrayList<Object>(list))));
      answer(STORE_SESSIONS_GET, b -> store.session(b.getString("id"), System.currentTimeMillis())
          .map(data -> data == null ? new JsonObject() : new JsonObject().put("data", data)));
      answer(STORE_SESSIONS_PUT, b -> store.putSession(b.getString("id"), b.getString("data"), b.getLong("expires"))
          .map(new JsonObject()));
      answer(STORE_SESSIONS_DELETE, b -> store.deleteSession(b.getString("id")).map(new JsonObject()));
      answer(STORE_SESSIONS_COUNT, b -> store.countSessions(System.currentTimeMillis()).map(n -> new JsonObject().put("count", n)));
      answer(STORE_SESSIONS_CLEAR, b -> store.clearSessions().map(new JsonObject()));
      vertx.setPeriodic(60_000, id -> store.forgetExpiredSessions(System.currentTimeMillis()));
      answer(STORE_CHATS_APPEND, this::append);
      answer(vertx.eventBus().consumer(numbering(nodeId)), this::appendHere);
      answer(STORE_CHATS_PAGE, b -> store.page(b.getString("room"), b.getLong("before"), b.getLong("after"), b.getInteger("limit"))
          .map(list -> new JsonArray(list.stream().map(ChatMessage::toJson).toList())));
      answer(STORE_GIFS_PUT, b -> store.putGif(b.getString("path"), b.getString("room")));
      this.<JsonObject, Object>answerRaw(STORE_GIFS_GET, b -> store.gif(b.getString("id")).map(buf -> (Object) buf));
      return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
    });
  }

  @Override
  public Future<?> stop() {
    return store == null ? Future.succeededFuture() : store.close();
  }

  private static List<String> strings(JsonArray array) {
    return array.stream().map(String::valueOf).toList();
  }

  private static Room roomOf(JsonObject json) {
    return new Room(json.getString("id"), json.getString("title"), json.getInteger("max"), json.getString("owner"),
        json.getString("ownerColor"), json.getString("passwordHash"), 0, json.getString("createdAt"));
  }

  /**
   * Stores a message through the node that numbers its room ({@link NumberingNodes}): here, or passed on
   * to that node's store verticle. If that node has no store verticle (it is leaving or not started
   * yet), this node numbers the message itself: the store's unique key keeps numbers right either way.
   */
  private Future<JsonObject> append(JsonObject message) {
    String numberer = NumberingNodes.of(message.getString("room"), liveNodes.get(), nodeId);
    if (numberer.equals(nodeId)) return appendHere(message);
    return vertx.eventBus().<JsonObject>request(numbering(numberer), message, PASS_ON)
        .map(Message::body)
        .recover(err -> err instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS
            ? appendHere(message)
            : Future.failedFuture(ApiError.from(err) != null ? ApiError.from(err) : err));
  }

  private Future<JsonObject> appendHere(JsonObject message) {
    return store.append(ChatMessage.fromJson(message)).map(ChatMessage::toJson);
  }

  private void answer(String address, Function<JsonObject, Future<?>> operation) {
    answerRaw(address, operation::apply);
  }

  private void answer(MessageConsumer<JsonObject> consumer, Function<JsonObject, Future<?>> operation) {
    answerOn(consumer, operation::apply);
  }

  private <T, R> void answerRaw(String address, Function<T, Future<R>> operation) {
    answerOn(vertx.eventBus().localConsumer(address), operation);
  }

  @SuppressWarnings("unchecked")
  private <T, R> void answerOn(MessageConsumer<T> consumer, Function<T, Future<R>> operation) {
    String address = consumer.address();
    consumer.handler((Message<T> msg) -> {
      Future<R> result;
      try {
        result = operation.apply(msg.body());
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onSuccess(msg::reply).onFailure(err -> {
        ApiError api = ApiError.from(err);
        if (api != null) {
          msg.fail(api.status(), api.getMessage());
        } else {
          log.warn("Store operation {} failed", address, err);
          msg.fail(500, "The store failed: " + err.getMessage());
        }
      });
    });
    consumers.add(consumer);
  }
}
