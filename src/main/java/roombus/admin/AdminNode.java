package roombus.admin;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.Addresses;
import roombus.HubConfig;
import roombus.bus.LocalServices;
import roombus.metrics.HubMetrics;
import roombus.model.Participant;
import roombus.model.Room;
import roombus.ops.NodeStatus;
import roombus.room.RoomService;
import roombus.store.Stores;

/**
 * The admin view's side of each node: it answers what this node holds on {@code admin.node@<id>}
 * (clustered: any node's admin API asks every node), and, node-locally, the {@link AdminService}
 * that gathers the cluster's figures and closes rooms or disconnects users.
 */
public final class AdminNode extends VerticleBase implements AdminService {

  private static final Logger log = LoggerFactory.getLogger(AdminNode.class);
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(2_000);

  private final HubConfig config;
  private final String nodeId;
  private final Supplier<List<String>> liveNodes;
  private final long startedAt = System.currentTimeMillis();
  private HubMetrics metrics;
  private Stores store;
  private RoomService rooms;

  public AdminNode(HubConfig config, String nodeId, Supplier<List<String>> liveNodes) {
    this.config = config;
    this.nodeId = nodeId;
    this.liveNodes = liveNodes;
  }

  @Override
  public Future<?> start() {
    metrics = HubMetrics.of(vertx);
    store = Stores.of(vertx);
    rooms = RoomService.of(vertx);
    return Future.all(
        vertx
            .eventBus()
            .<JsonObject>consumer(Addresses.adminNode(nodeId), msg -> msg.reply(self()))
            .completion(),
        LocalServices.expose(vertx, Addresses.ADMIN, AdminService.class, this));
  }

  /** This node's live figures. */
  private JsonObject self() {
    JsonObject rates = new JsonObject();
    metrics.roomRates().forEach(rates::put);
    return new JsonObject()
        .put("node", nodeId)
        .put("http", config.clusterHost() + ":" + config.httpPort())
        .put("draining", NodeStatus.of(vertx).draining())
        .put("uptimeSeconds", (System.currentTimeMillis() - startedAt) / 1000)
        .put("connections", metrics.connections())
        .put("connectionCount", metrics.connectionCount())
        .put("usersPresent", metrics.usersPresent())
        .put("messages", metrics.messages())
        .put("roomRates", rates);
  }

  @Override
  public Future<JsonObject> overview() {
    List<String> nodes = liveNodes.get();
    List<Future<JsonObject>> asked = nodes.stream().map(this::ask).toList();
    Future<List<JsonObject>> figures =
        Future.join(asked)
            .transform(
                done -> {
                  List<JsonObject> answers = new ArrayList<>();
                  for (int i = 0; i < nodes.size(); i++) {
                    Future<JsonObject> answer = asked.get(i);
                    answers.add(
                        answer.succeeded()
                            ? answer.result()
                            : new JsonObject().put("node", nodes.get(i)).put("error", "no answer"));
                  }
                  return Future.succeededFuture(answers);
                });
    return figures.compose(
        answers ->
            store
                .rooms()
                .list()
                .compose(list -> roomsWith(list, answers))
                .map(
                    roomList ->
                        new JsonObject()
                            .put("node", nodeId)
                            .put("time", System.currentTimeMillis())
                            .put(
                                "nodes",
                                new JsonArray(
                                    answers.stream()
                                        .map(
                                            a -> {
                                              JsonObject copy = a.copy();
                                              copy.remove("roomRates");
                                              return copy;
                                            })
                                        .toList()))
                            .put("rooms", roomList)));
  }

  private Future<JsonObject> ask(String node) {
    return node.equals(nodeId)
        ? Future.succeededFuture(self())
        : vertx
            .eventBus()
            .<JsonObject>request(Addresses.adminNode(node), null, ASK)
            .map(Message::body);
  }

  /** Rooms with their participants and their messages per minute over all nodes. */
  private Future<JsonArray> roomsWith(List<Room> list, List<JsonObject> nodes) {
    Map<String, Integer> rates = new HashMap<>();
    for (JsonObject node : nodes) {
      JsonObject nodeRates = node.getJsonObject("roomRates", new JsonObject());
      nodeRates.forEach(
          e -> rates.merge(e.getKey(), ((Number) e.getValue()).intValue(), Integer::sum));
    }
    List<Future<JsonObject>> each =
        list.stream()
            .map(
                room ->
                    store
                        .presence()
                        .participants(room.id())
                        .map(
                            people ->
                                room.toJson()
                                    .put(
                                        "participants",
                                        new JsonArray(
                                            people.stream().map(Participant::toJson).toList()))
                                    .put("messagesPerMinute", rates.getOrDefault(room.id(), 0)))
                        .recover(
                            err ->
                                Future.succeededFuture(
                                    room.toJson().put("participants", new JsonArray()))))
            .toList();
    return Future.join(each)
        .transform(
            done ->
                Future.succeededFuture(
                    new JsonArray(
                        each.stream().filter(Future::succeeded).map(Future::result).toList())));
  }

  @Override
  public Future<Void> closeRoom(String roomId) {
    return rooms.close(roomId).mapEmpty();
  }

  @Override
  public Future<Void> disconnect(String user) {
    log.warn("event=admin_disconnect user={}", user);
    vertx.eventBus().publish(Addresses.ADMIN_DISCONNECT, new JsonObject().put("user", user));
    return Future.succeededFuture();
  }
}
