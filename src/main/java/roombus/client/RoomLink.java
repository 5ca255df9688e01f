package roombus.client;

import static roombus.client.TerminalLines.clean;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import roombus.busclient.BusClient;
import roombus.busclient.BusError;
import roombus.busclient.BusHeaders;
import roombus.busclient.BusMessage;
import roombus.busclient.HubHttp;
import roombus.busclient.HubUrl;
import roombus.client.ChatClient.ClientError;

/**
 * The client's connection to its room: to a node of {@code --url} over the raw event-bus websocket
 * (or the TCP bridge with a token), registered on the room with a catch-up, open once the room's
 * welcome came. When the node goes away (close code 4001) it moves on to the next node of {@code
 * --url} with a catch-up from the last message shown, while the typed lines wait; any other close
 * ends the chat.
 *
 * <p>Confined to the client's context.
 */
final class RoomLink {

  private static final long PING_EVERY_MS = 5_000;
  private static final long WELCOME_WITHIN_MS = 15_000;
  private static final long ACK_WITHIN_MS = 30_000;
  private static final int RECONNECT_ATTEMPTS = 30;

  private final Vertx vertx;
  private final ClientOptions options;
  private final HubHttp api;
  private final String address;
  private final Handler<JsonObject> events;
  private final Consumer<String> say;
  private final LineOutbox outbox;
  private final Promise<Integer> done;
  private final LongSupplier lastShown;

  /** The node connected to, in the list of --url. */
  private int node;

  private String token;
  private BusClient bus;
  private Promise<Void> welcomed = Promise.promise();
  private boolean leaving;

  /**
   * @param events every event of the room, in order
   * @param say a line for the user
   * @param outbox the typed lines, held while the link moves to another node
   * @param done completed with 1 when the link is lost for good; once complete, the link stays down
   * @param lastShown the last message number shown, where a new node's catch-up starts
   */
  RoomLink(
      Vertx vertx,
      ClientOptions options,
      HubHttp api,
      String address,
      Handler<JsonObject> events,
      Consumer<String> say,
      LineOutbox outbox,
      Promise<Integer> done,
      LongSupplier lastShown) {
    this.vertx = vertx;
    this.options = options;
    this.api = api;
    this.address = address;
    this.events = events;
    this.say = say;
    this.outbox = outbox;
    this.done = done;
    this.lastShown = lastShown;
  }

  /**
   * Connects to the current node and registers on the room asking for what came after {@code
   * since}; completes with the room's welcome.
   */
  Future<Void> join(long since) {
    HubUrl hub = options.node(node);
    Future<BusClient> connected =
        options.tcp()
            ? token().compose(t -> BusClient.tcp(vertx, hub.host(), options.tcpPort(), t))
            : BusClient.websocket(vertx, hub, api.sid());
    welcomed = Promise.promise();
    Promise<Void> welcome = welcomed;
    return connected.compose(
        client -> {
          bus = client.replyTimeout(ACK_WITHIN_MS).pingEvery(PING_EVERY_MS);
          bus.errorHandler(this::refused);
          BusClient mine = bus;
          bus.closeHandler(v -> closed(mine));
          bus.register(address, BusHeaders.since(since), this::onMessage);
          long timer =
              vertx.setTimer(
                  WELCOME_WITHIN_MS,
                  id -> welcome.tryFail(new ClientError("no welcome from the room")));
          return welcome.future().onComplete(r -> vertx.cancelTimer(timer));
        });
  }

  /** The TCP bridge's token, asked for once over HTTP. */
  private Future<String> token() {
    return token != null ? Future.succeededFuture(token) : api.token().onSuccess(t -> token = t);
  }

  /**
   * Sends one line on the current connection and answers the number the room gave it. A connection
   * that closes going away did not take it (a draining node takes no post it cannot answer).
   */
  Future<Long> send(String chat) {
    BusClient sentOn = bus;
    return sentOn
        .send(address, new JsonObject().put("chat", chat), null)
        .map(
            reply -> {
              JsonObject stored = reply.json();
              return stored == null ? 0L : stored.getLong("seq", 0L);
            })
        .recover(
            err ->
                Future.failedFuture(
                    sentOn.closeCode() == BusClient.GOING_AWAY ? new LineOutbox.NotTaken() : err));
  }

  /** Leaves the room; the connection stays until {@link #close()}. */
  void leave() {
    leaving = true;
    if (bus != null) bus.unregister(address);
  }

  Future<Void> close() {
    leaving = true;
    return bus == null
        ? Future.succeededFuture()
        : bus.close().recover(err -> Future.succeededFuture());
  }

  private void onMessage(BusMessage message) {
    JsonObject event = message.json();
    if (event == null) return;
    events.handle(event);
    if ("welcome".equals(event.getString("type"))) welcomed.tryComplete();
  }

  /**
   * An err frame that answers no line of ours: a refused register, or a refusal of the hub's own.
   */
  private void refused(BusError error) {
    String message = clean(error.getMessage());
    if (!welcomed.future().isComplete() && address.equals(error.address())) {
      welcomed.tryFail(new ClientError("could not join the room: " + message));
    } else {
      say.accept("! " + message);
    }
  }

  /**
   * The connection ended. A node going away is left for the next node of --url (the same one, if
   * there is only one: a load balancer sends it elsewhere), with a catch-up from the last message
   * shown; the line that was waiting for its acknowledgement was not taken by the node, so it is
   * sent again there.
   */
  private void closed(BusClient which) {
    if (leaving || which != bus || done.future().isComplete()) return;
    int code = which.closeCode();
    if (code == BusClient.GOING_AWAY) {
      say.accept("* the hub node is going away; reconnecting");
      outbox.pause();
      reconnect(0);
    } else if (code == BusClient.DISCONNECTED) {
      say.accept("! disconnected by an administrator");
      done.tryComplete(1);
    } else {
      say.accept("! the hub closed the connection");
      done.tryComplete(1);
    }
  }

  private void reconnect(int attempt) {
    if (attempt >= RECONNECT_ATTEMPTS) {
      say.accept("! could not reconnect to any node");
      done.tryComplete(1);
      return;
    }
    node++;
    long delay = Math.min(4_000, 100L << Math.min(attempt, 6));
    vertx.setTimer(
        delay,
        id ->
            join(lastShown.getAsLong())
                .onComplete(
                    joined -> {
                      if (done.future().isComplete()) return;
                      if (joined.failed()) {
                        reconnect(attempt + 1);
                        return;
                      }
                      HubUrl now = options.node(node);
                      say.accept("* reconnected to " + now.host() + ":" + now.port());
                      outbox.resume();
                    }));
  }
}
